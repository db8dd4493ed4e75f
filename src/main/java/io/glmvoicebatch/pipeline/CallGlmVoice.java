package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.ApiError;
import io.glmvoicebatch.api.AttemptListener;
import io.glmvoicebatch.api.CallOutcome;
import io.glmvoicebatch.api.ChatReply;
import io.glmvoicebatch.api.ChatRequest;
import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.api.Usage;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ReplyFacts;
import io.glmvoicebatch.ledger.UsageCost;
import io.glmvoicebatch.manifest.ManifestItem;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares each manifest item just in time and sends it to the chat-completions API, then concludes it:
 * reply WAV and text renamed into place, then its ledger line fsynced, the moment the reply arrives.
 *
 * <p>Why preparation lives here and not in a stage of its own: on the Direct runner every PCollection is
 * materialized bundle by bundle with no back-pressure, so decoded audio as an element sat in memory for the
 * whole batch. Here the runner thread hands each item to a small preparation pool and blocks while the
 * pool's places are taken ({@link PreparationPool}): decoding runs a few items ahead of the calls, in
 * parallel with them, and prepared audio is bounded by the cap. Calls are asynchronous, so one runner
 * thread keeps the whole account's in-flight cap busy; the batch's client in this JVM ({@link BatchRuntime})
 * holds the cap.
 *
 * <p>Output: only the records of segments of split recordings (StitchSegments needs them); the ledger on
 * disk is the batch's real output, and a bundle's outputs are held in memory until the bundle commits.
 */
public final class CallGlmVoice extends PTransform<PCollection<ReadManifest.Slice>, PCollection<LedgerRecord>> {
  private final BatchRuntime.Spec runtime;
  private final ItemPreparation preparation;
  private final ReplySize replySize;
  private final String model;
  private final SendClaims claims = new SendClaims(UUID.randomUUID().toString());

  /** @param replySize how much disk a reply may take, and whether the audio as sent is kept too */
  CallGlmVoice(BatchRuntime.Spec runtime, ItemPreparation preparation, ReplySize replySize, String model) {
    this.runtime = runtime;
    this.preparation = preparation;
    this.replySize = replySize;
    this.model = model;
  }

  @Override
  public PCollection<LedgerRecord> expand(PCollection<ReadManifest.Slice> items) {
    return items.apply(ParDo.of(new CallFn(runtime, preparation, replySize, model, claims)))
        .setCoder(SerializableCoder.of(LedgerRecord.class));
  }

  /** Reason and error code of an item not sent because the output folder has no room for its reply. */
  public static final String DISK_FULL = "disk_full";

  static final class CallFn extends DoFn<ReadManifest.Slice, LedgerRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(CallGlmVoice.class);
    private final BatchRuntime.Spec spec;
    private final ItemPreparation preparation;
    private final ReplySize replySize;
    private final String model;
    private final Counter ok = Metrics.counter(CallGlmVoice.class, "ok");
    private final Counter failed = Metrics.counter(CallGlmVoice.class, "failed");
    // What the Flink or Spark UI shows of a batch's progress; the ledger stays the record of money.
    private final Counter skipped = Metrics.counter(CallGlmVoice.class, "skipped");
    private final Counter uncertain = Metrics.counter(CallGlmVoice.class, "uncertain");
    private final Counter tokens = Metrics.counter(CallGlmVoice.class, "tokens");
    private final Counter costMicro = Metrics.counter(CallGlmVoice.class, "cost_micro_rmb");
    private transient BatchRuntime runtime;
    private transient GlmVoiceClient client;
    private transient PreparationPool pool;
    private transient List<CompletableFuture<List<LedgerRecord>>> pending;

    private transient Budget budget;
    /** Null for an object store, whose writes fail only when made. */
    private transient DiskRoom disk;
    private final SendClaims claims;
    /**
     * Set when the runner cancels this instance's task (it interrupts the thread waiting in finishBundle):
     * the items it still holds are not sent, since the runner will give them to another attempt, and a
     * surviving worker must not keep sending a failed job's queue while the user already runs it again.
     */
    private transient volatile boolean abandoned;

    CallFn(BatchRuntime.Spec spec, ItemPreparation preparation, ReplySize replySize, String model, SendClaims claims) {
      this.spec = spec;
      this.claims = claims;
      this.preparation = preparation;
      this.replySize = replySize;
      this.model = model;
    }

    @Setup
    public void setup() {
      runtime = BatchRuntime.acquire(spec);
      client = runtime.client();
      pool = runtime.preparationPool();
      budget = runtime.budget();
      disk = runtime.diskRoom();
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element ReadManifest.Slice slice) throws IOException, InterruptedException {
      ReadManifest.forEachItem(slice, runtime, this::submit);
    }

    private void submit(ManifestItem item) throws InterruptedException {
      try {
        pool.takePlace();
      } catch (InterruptedException e) {
        abandoned = true;
        throw e;
      }
      CompletableFuture<List<LedgerRecord>> concluded;
      try {
        concluded = CompletableFuture.supplyAsync(() -> preparation.prepare(runtime, item), pool.threads())
            .thenCompose(this::sendAll);
      } catch (RuntimeException e) {
        pool.releasePlace();
        throw e;
      }
      // The place is held until the item's replies are concluded: until then its audio is referenced.
      concluded.whenComplete((records, error) -> pool.releasePlace());
      pending.add(concluded);
    }

    /** Sends what preparation left to send; completes with every line the item got in this stage. */
    private CompletableFuture<List<LedgerRecord>> sendAll(ItemPreparation.Outcome outcome) {
      if (outcome.toSend().isEmpty()) {
        return CompletableFuture.completedFuture(outcome.concluded());
      }
      List<CompletableFuture<LedgerRecord>> calls = new ArrayList<>();
      for (PreparedItem prepared : outcome.toSend()) {
        calls.add(send(prepared));
      }
      return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(v -> {
        List<LedgerRecord> all = new ArrayList<>(outcome.concluded());
        calls.forEach(c -> all.add(c.join()));
        return all;
      });
    }

    private CompletableFuture<LedgerRecord> send(PreparedItem prepared) {
      ManifestItem item = prepared.item();
      ChatRequest request = ChatRequest.builder()
          .requestId(prepared.requestIdBase())
          .audio(prepared.audio().wavBytes(), prepared.audio().format())
          .params(item.params())
          .model(model)
          .build();
      if (abandoned) {
        return CompletableFuture.failedFuture(new CancellationException("task cancelled by the runner: not sent"));
      }
      if (!claims.claim(runtime.ledger(), prepared.requestIdBase())) {
        LedgerRecord earlier = sentByAnEarlierAttempt(prepared);
        if (earlier != null) {
          return CompletableFuture.completedFuture(earlier);
        }
      }
      LedgerRecord.Builder base = runtime.records().newRecord(prepared);
      long room = disk == null ? 0 : replySize.worstCaseBytes(prepared);
      String noRoom = disk == null ? null : reserveRoom(room);
      if (noRoom != null) {
        return CompletableFuture.completedFuture(runtime.append(base.status(LedgerStatus.SKIPPED)
            .reason(DISK_FULL)
            .error(LedgerError.of(DISK_FULL, "not sent: " + noRoom))
            .call(cf -> cf.withFinishedAt(Instant.now().toString()))
            .build()));
      }
      BigDecimal reserved = budget == null ? null
          : RequestCost.of(prepared, 0).worstCase(runtime.records().pricePerMillion());
      if (reserved != null && !reserve(reserved)) {
        if (disk != null) {
          disk.release(room);
        }
        return CompletableFuture.completedFuture(runtime.append(base.status(LedgerStatus.SKIPPED)
            .reason("budget")
            .error(LedgerError.of("budget", "not sent: its worst-case cost " + Cost.format(reserved) + " "
                + runtime.records().currency() + " could take the batch over --maxCostRmb="
                + budget.limit().toPlainString()
                + " (committed so far: " + Cost.format(budget.committed()) + ")"))
            .call(cf -> cf.withFinishedAt(Instant.now().toString()))
            .build()));
      }

      // submit() blocks only for back-pressure when the client's queue is full (on a preparation thread);
      // the reply is handled on the client's threads.
      // Intent before every attempt: if we die between send and reply, the next run knows this item, and the
      // exact request_id, may have been billed.
      AttemptListener intent = (requestId, attempt) -> runtime.append(
          abandonedCheck(runtime.records().newRecord(prepared))
          .status(LedgerStatus.SENDING).call(cf -> cf.withRequestId(requestId).withAttempts(attempt))
          .usage(uc -> uc.withWorstCase(RequestCost.of(prepared, 0).worstCaseTokens(), null)).build());
      CompletableFuture<LedgerRecord> concluded;
      try {
        concluded = client.submit(request, intent).thenApply(outcome -> {
          if (abandoned && !outcome.ok()) {
            // Kept off the wire by the cancelled task: no line (an attempt sent before keeps its intent line).
            throw new CancellationException("task cancelled by the runner: not sent");
          }
          return concludeOrRecordWhy(prepared, outcome);
        });
      } catch (RuntimeException e) {
        if (reserved != null) {
          budget.settle(reserved, BigDecimal.ZERO); // never sent
        }
        if (disk != null) {
          disk.release(room);
        }
        throw e;
      }
      if (reserved != null) {
        // Settled whatever happens, or requests waiting for the budget would wait forever.
        concluded.whenComplete((record, error) -> budget.settle(reserved, record));
      }
      if (disk != null) {
        // Given back once the reply is written (or will never come): its file now uses the space.
        concluded.whenComplete((record, error) -> disk.release(room));
      }
      return concluded;
    }

    /**
     * The runner re-executed this request after an attempt of this run claimed it: the earlier attempt's
     * concluded line if it has one; if it wrote its intent but no outcome, the request may have been billed,
     * so an {@code uncertain} line (then null if {@code --resendUncertain} sends it again); null if it never
     * got as far as its intent line (nothing was sent).
     */
    private LedgerRecord sentByAnEarlierAttempt(PreparedItem prepared) {
      LedgerRecord earlier = claims.earlier(runtime.ledger(), prepared.item().id(), prepared.segment());
      if (earlier == null) {
        return null;
      }
      if (earlier.status() == LedgerStatus.UNCERTAIN) { // also a billed attempt without a usable reply
        return preparation.policy().resendUncertain() ? null : earlier;
      }
      if (earlier.status() != LedgerStatus.SENDING) {
        return earlier;
      }
      LOG.warn("item {}: sent by an earlier attempt of this run that the runner re-executed; may have been billed",
          prepared.item().id());
      LedgerRecord uncertain = runtime.append(earlier.toBuilder().status(LedgerStatus.UNCERTAIN)
          .reason("sent by an earlier task attempt that the runner re-executed: may have been billed")
          .call(cf -> cf.withFinishedAt(Instant.now().toString())).build());
      return preparation.policy().resendUncertain() ? null : uncertain;
    }

    /** Throwing in the intent listener keeps the attempt off the wire (AttemptListener's contract). */
    private LedgerRecord.Builder abandonedCheck(LedgerRecord.Builder intent) {
      if (abandoned) {
        throw new CancellationException("task cancelled by the runner: not sent");
      }
      return intent;
    }

    /** Waits (on a preparation thread) while replies in flight may still be written; null when reserved. */
    private String reserveRoom(long bytes) {
      try {
        return disk.tryReserve(bytes);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for disk space", e);
      }
    }

    /** Waits (on a preparation thread) while other requests' reservations may still settle. */
    private boolean reserve(BigDecimal worstCase) {
      try {
        return budget.tryReserve(worstCase);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the budget", e);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      LOG.debug("bundle of {} items: waiting for their replies", pending.size());
      for (CompletableFuture<List<LedgerRecord>> f : pending) {
        List<LedgerRecord> records;
        try {
          records = f.get();
        } catch (InterruptedException e) {
          abandoned = true;
          Thread.currentThread().interrupt();
          throw new IllegalStateException("task cancelled while waiting for its replies; unsent items dropped", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
        for (LedgerRecord record : records) {
          // Counted here, on the runner's thread: Beam metrics cannot be updated from other threads.
          if (record.isOk()) {
            ok.inc();
          } else if (record.status() == LedgerStatus.FAILED) {
            failed.inc();
          } else if (record.status() == LedgerStatus.SKIPPED) {
            skipped.inc();
          } else if (record.status() == LedgerStatus.UNCERTAIN) {
            uncertain.inc();
          }
          if (record.usage().totalTokens() != null) {
            tokens.inc(record.usage().totalTokens());
            costMicro.inc(record.usage().cost().movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP)
                .longValueExact());
          }
          if (record.segment() != null) {
            context.output(record, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
          }
        }
      }
      pending = null;
    }

    /**
     * A reply we fail to store (a full disk, a reply we cannot re-encode) must still leave its tokens in
     * the ledger: the service billed them. A full disk stops sending, and the paid reply is held outside the
     * folder ({@link io.glmvoicebatch.ledger.OutputFolder#heldRoot}) under an ok line, so the next run moves
     * it into place instead of paying again; if it cannot be held either, the line is {@code output_failed}
     * with the tokens. Only if even that line cannot be written does the bundle fail.
     */
    private LedgerRecord concludeOrRecordWhy(PreparedItem prepared, CallOutcome outcome) {
      try {
        return conclude(prepared, outcome, runtime.folder()::write, null);
      } catch (RuntimeException e) {
        if (disk != null) {
          disk.full("disk full: a paid reply could not be written to --outputDir=" + runtime.folder().location()
              + " (" + e.getMessage() + "); sending stopped. Free some space and run the same command: held replies "
              + "are moved into place and nothing already paid for is sent again");
        }
        if (outcome.ok() && disk != null) {
          try {
            return conclude(prepared, outcome, (name, bytes) -> {
              runtime.folder().hold(name, bytes);
              return name;
            }, "disk full: the reply is held at " + runtime.folder().heldRoot() + " until a run finds room for it in "
                + "--outputDir (" + e.getMessage() + ")");
          } catch (RuntimeException alsoFailed) {
            LOG.warn("item {}: the paid reply could not be held outside the folder either: {}",
                prepared.item().id(), alsoFailed.getMessage());
          }
        }
        LedgerRecord.Builder record = runtime.records().newRecord(prepared)
            .status(LedgerStatus.FAILED)
            .call(cf -> cf.withAttempts(outcome.attempts()).withRequestIds(outcome.requestIds())
                .withFinishedAt(Instant.now().toString()))
            .error(LedgerError.of("output_failed", "item '" + prepared.item().id() + "': the reply arrived but could "
                + "not be stored: " + e.getMessage()));
        Usage usage = outcome.usage();
        if (usage != null) {
          record.usage(UsageCost.billed(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(),
              runtime.records().pricePerMillion(), runtime.records().currency()));
        }
        return runtime.append(record.build());
      }
    }

    /** Where a concluded reply's files go: the folder, or the held place outside it. */
    private interface ReplyFiles {
      String write(String name, byte[] bytes);
    }

    private LedgerRecord conclude(PreparedItem prepared, CallOutcome outcome, ReplyFiles files, String heldNote) {
      String id = prepared.item().id();
      LedgerRecord.Builder record = runtime.records().newRecord(prepared)
          .reply(rf -> rf.withModel(model))
          .call(cf -> cf.withAttempts(outcome.attempts()).withRequestIds(outcome.requestIds())
              .withRequestId(outcome.requestIds().isEmpty() ? prepared.requestIdBase()
                  : outcome.requestIds().get(outcome.requestIds().size() - 1))
              .withLatencyMs(outcome.latencyMillis()));
      Usage usage = outcome.usage();
      if (usage != null) {
        record.usage(UsageCost.billed(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(),
            runtime.records().pricePerMillion(), runtime.records().currency()));
      }
      if (outcome.ok()) {
        ChatReply reply = outcome.reply();
        Integer segment = prepared.segment();
        OutputFolder folder = runtime.folder();
        String audioName = files.write(folder.audioName(id, segment), reply.audio().wavBytes());
        String textName = files.write(folder.textName(id, segment),
            (reply.text() == null ? "" : reply.text()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (replySize.sentAudio()) {
          String sent = files.write(folder.normalizedName(id, segment), prepared.audio().wavBytes());
          record.input(inf -> inf.withSentAudio(sent));
        }
        if (heldNote != null) {
          List<String> warnings = new ArrayList<>(prepared.audio().warnings());
          warnings.add(heldNote);
          record.input(inf -> inf.withWarnings(warnings)).reason(DISK_FULL);
        }
        record.status(LedgerStatus.OK)
            .call(cf -> cf.withResponseId(reply.responseId()))
            .reply(new ReplyFacts(audioName, textName, reply.audio().seconds(), reply.audio().wireForm(),
                reply.finishReason(), model));
      } else {
        ApiError error = outcome.error();
        // Uncertain: sent, maybe billed, no usable reply; the client did not retry it, --resendUncertain decides.
        record.status(outcome.uncertain() ? LedgerStatus.UNCERTAIN : LedgerStatus.FAILED)
            .reason(outcome.uncertain() ? "may have been billed: request " + outcome.uncertainRequestId()
                + " got no usable reply" : null)
            .error(new LedgerError(error.code(), error.httpStatus(), error.message()));
      }
      return runtime.append(record.call(cf -> cf.withFinishedAt(Instant.now().toString())).build());
    }

    @Teardown
    public void teardown() {
      abandoned = true; // nothing of this instance may be sent any more
      if (runtime != null) {
        runtime.close(); // one hold of the batch's runtime in this JVM; the last one closes the client
        runtime = null;
        client = null;
      }
    }
  }
}
