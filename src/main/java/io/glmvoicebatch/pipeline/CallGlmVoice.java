package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.ApiError;
import io.glmvoicebatch.api.AttemptListener;
import io.glmvoicebatch.api.CallOutcome;
import io.glmvoicebatch.api.ChatReply;
import io.glmvoicebatch.api.ChatRequest;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.api.Usage;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.ledger.Cost;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Sends each prepared item to the chat-completions API and concludes it: reply WAV and text renamed into
 * place, then its ledger line fsynced, the moment the reply arrives. Calls are asynchronous, so one runner
 * thread keeps the whole account's in-flight cap busy; the JVM-wide client holds the cap.
 */
public final class CallGlmVoice extends PTransform<PCollection<PreparedItem>, PCollection<LedgerRecord>> {
  private final ClientSettings settings;
  private final String model;
  private final ItemLedger ledger;
  private final String maxCost;

  /**
   * @param maxCost the batch's budget ({@code --maxCostRmb}), or null for none
   */
  public CallGlmVoice(ClientSettings settings, String model, ItemLedger ledger, BigDecimal maxCost) {
    this.settings = settings;
    this.model = model;
    this.ledger = ledger;
    this.maxCost = maxCost == null ? null : maxCost.toPlainString();
  }

  @Override
  public PCollection<LedgerRecord> expand(PCollection<PreparedItem> items) {
    return items.apply(ParDo.of(new CallFn(settings, model, ledger, maxCost)));
  }

  static final class CallFn extends DoFn<PreparedItem, LedgerRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(CallGlmVoice.class);
    private final ClientSettings settings;
    private final String model;
    private final ItemLedger ledger;
    private final String maxCost;
    private final Counter ok = Metrics.counter(CallGlmVoice.class, "ok");
    private final Counter failed = Metrics.counter(CallGlmVoice.class, "failed");
    private transient GlmVoiceClient client;
    private transient List<CompletableFuture<LedgerRecord>> pending;

    private transient Budget budget;

    CallFn(ClientSettings settings, String model, ItemLedger ledger, String maxCost) {
      this.settings = settings;
      this.model = model;
      this.ledger = ledger;
      this.maxCost = maxCost;
    }

    @Setup
    public void setup() {
      client = GlmVoiceClient.shared(settings);
      budget = maxCost == null ? null : Budget.of(ledger.location().key(), new BigDecimal(maxCost));
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element PreparedItem prepared) {
      ManifestItem item = prepared.item();
      ChatRequest request = ChatRequest.builder()
          .requestId(prepared.requestIdBase())
          .audio(prepared.audio().wavBytes(), prepared.audio().format())
          .prompt(item.prompt())
          .system(item.system())
          .maxTokens(item.maxTokens())
          .temperature(item.temperature())
          .topP(item.topP())
          .model(model)
          .build();
      LedgerRecord.Builder base = ledger.newRecord(prepared);
      BigDecimal reserved = budget == null ? null : RequestCost.of(prepared, 0).worstCase(ledger.pricePerMillion());
      if (reserved != null && !budget.tryReserve(reserved)) {
        pending.add(CompletableFuture.completedFuture(ledger.append(base.status(LedgerRecord.SKIPPED)
            .reason("budget")
            .error(LedgerError.of("budget", "not sent: its worst-case cost " + Cost.format(reserved) + " "
                + ledger.currency() + " could take the batch over --maxCostRmb=" + maxCost
                + " (committed so far: " + Cost.format(budget.committed()) + ")"))
            .finishedAt(Instant.now().toString())
            .build())));
        return;
      }

      // submit() blocks only for back-pressure when the client's queue is full; the reply is handled on
      // the client's threads.
      // Intent before every attempt: if we die between send and reply, the next run knows this item, and the
      // exact request_id, may have been billed.
      AttemptListener intent = (requestId, attempt) -> ledger.append(ledger.newRecord(prepared)
          .status(LedgerRecord.SENDING).requestId(requestId).attempts(attempt).build());
      pending.add(client.submit(request, intent).thenApply(outcome -> {
        LedgerRecord record = concludeOrRecordWhy(prepared, outcome);
        if (reserved != null) {
          budget.settle(reserved, record.cost());
        }
        return record;
      }));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      LOG.debug("bundle of {} items: waiting for their replies", pending.size());
      for (CompletableFuture<LedgerRecord> f : pending) {
        LedgerRecord record = f.join();
        // Counted here, on the runner's thread: Beam metrics cannot be updated from the client's threads.
        (record.isOk() ? ok : failed).inc();
        context.output(record, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
      pending = null;
    }

    /**
     * A reply we fail to store (a full disk, a reply we cannot re-encode) must still leave its tokens in
     * the ledger: the service billed them. Only if even that line cannot be written does the bundle fail.
     */
    private LedgerRecord concludeOrRecordWhy(PreparedItem prepared, CallOutcome outcome) {
      try {
        return conclude(prepared, outcome);
      } catch (RuntimeException e) {
        LedgerRecord.Builder record = ledger.newRecord(prepared)
            .status(LedgerRecord.FAILED)
            .attempts(outcome.attempts())
            .requestIds(outcome.requestIds())
            .error(LedgerError.of("output_failed", "item '" + prepared.item().id() + "': the reply arrived but could "
                + "not be stored: " + e.getMessage()))
            .finishedAt(Instant.now().toString());
        Usage usage = outcome.usage();
        if (usage != null) {
          record.tokens(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(),
              ledger.pricePerMillion(), ledger.currency());
        }
        return ledger.append(record.build());
      }
    }

    private LedgerRecord conclude(PreparedItem prepared, CallOutcome outcome) {
      String id = prepared.item().id();
      LedgerRecord.Builder record = ledger.newRecord(prepared)
          .attempts(outcome.attempts())
          .requestIds(outcome.requestIds())
          .requestId(outcome.requestIds().isEmpty() ? prepared.requestIdBase()
              : outcome.requestIds().get(outcome.requestIds().size() - 1))
          .latencyMs(outcome.latencyMillis());
      Usage usage = outcome.usage();
      if (usage != null) {
        record.tokens(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(),
            ledger.pricePerMillion(), ledger.currency());
      }
      if (outcome.ok()) {
        ChatReply reply = outcome.reply();
        Integer segment = prepared.segment();
        String audioName = ledger.folder().write(ledger.folder().audioName(id, segment), reply.audio().wavBytes());
        String textName = ledger.folder().writeText(ledger.folder().textName(id, segment),
            reply.text() == null ? "" : reply.text());
        if (ledger.keepsNormalizedAudio()) {
          ledger.folder().write(ledger.folder().normalizedName(id, segment), prepared.audio().wavBytes());
        }
        record.status(LedgerRecord.OK)
            .responseId(reply.responseId())
            .finishReason(reply.finishReason())
            .outputAudio(audioName)
            .outputText(textName)
            .replySeconds(reply.audio().seconds())
            .replyWireForm(reply.audio().wireForm());
      } else {
        ApiError error = outcome.error();
        record.status(LedgerRecord.FAILED)
            .error(new LedgerError(error.code(), error.httpStatus(), error.message()));
      }
      return ledger.append(record.finishedAt(Instant.now().toString()).build());
    }

    @Teardown
    public void teardown() {
      ledger.release();
      if (client != null) {
        client.close(); // one reference of the JVM-wide client; the last one shuts it down
        client = null;
      }
    }
  }
}
