package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.audio.AudioFormatException;
import io.glmvoicebatch.audio.AudioPreparer;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.audio.PreparedAudio;
import io.glmvoicebatch.ledger.AudioFacts;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.manifest.ManifestItem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads each item's audio, skips what an earlier run already finished, and decodes and normalizes the
 * rest. Items whose audio cannot be used are concluded here (ledger line written) and never sent.
 */
public final class PrepareAudio extends PTransform<PCollection<ManifestItem>, PCollectionTuple> {
  /** Items ready to send. */
  public static final TupleTag<PreparedItem> READY = new TupleTag<>() {};
  /** Items concluded here: failed (unreadable audio) or skipped (no speech). */
  public static final TupleTag<LedgerRecord> CONCLUDED = new TupleTag<>() {};

  /** The API's documented limit on input audio per request. */
  public static final double MAX_SECONDS_PER_REQUEST = 600.0;

  private final NormalizerSettings settings;
  private final ResumeIndex resume;
  private final ItemLedger ledger;
  private final String model;
  private final ResumePolicy policy;

  public PrepareAudio(NormalizerSettings settings, ResumeIndex resume, ItemLedger ledger, String model, ResumePolicy policy) {
    this.settings = settings;
    this.resume = resume;
    this.ledger = ledger;
    this.model = model;
    this.policy = policy;
  }

  @Override
  public PCollectionTuple expand(PCollection<ManifestItem> items) {
    return items.apply(
        ParDo.of(new PrepareFn(settings, resume, ledger, model, policy))
            .withOutputTags(READY, TupleTagList.of(CONCLUDED)));
  }

  static final class PrepareFn extends DoFn<ManifestItem, PreparedItem> {
    private final NormalizerSettings settings;
    private final ResumeIndex resume;
    private final ItemLedger ledger;
    private final String model;
    private final ResumePolicy policy;
    private final Counter alreadyDone = Metrics.counter(PrepareAudio.class, "alreadyDone");
    private final Counter keptFailed = Metrics.counter(PrepareAudio.class, "keptFailed");
    private final Counter keptUncertain = Metrics.counter(PrepareAudio.class, "keptUncertain");
    private transient AudioPreparer preparer;

    PrepareFn(NormalizerSettings settings, ResumeIndex resume, ItemLedger ledger, String model, ResumePolicy policy) {
      this.settings = settings;
      this.resume = resume;
      this.ledger = ledger;
      this.model = model;
      this.policy = policy;
    }

    @Setup
    public void setup() {
      preparer = new AudioPreparer(settings);
    }

    @ProcessElement
    public void process(@Element ManifestItem item, MultiOutputReceiver out) {
      Instant started = Instant.now();
      Path file = Path.of(item.audio());
      LedgerRecord.Builder record = ledger.newRecord(item.id())
          .manifestLine(item.line())
          .inputAudio(item.audio())
          .startedAt(started.toString());
      String sha;
      try {
        sha = ItemFingerprint.sha256Hex(file);
      } catch (NoSuchFileException e) {
        conclude(out, fail(record, "audio_unreadable", item, "file not found"));
        return;
      } catch (AccessDeniedException e) {
        conclude(out, fail(record, "audio_unreadable", item, "permission denied"));
        return;
      } catch (IOException e) {
        String what = Files.isDirectory(file) ? "is a directory, not a file" : "cannot be read: " + e.getMessage();
        conclude(out, fail(record, "audio_unreadable", item, what));
        return;
      }
      String fingerprint = ItemFingerprint.of(item, sha, model, settings.toString());
      record.inputSha256(sha).fingerprint(fingerprint);
      if (resume.alreadyDone(item.id(), fingerprint)) {
        alreadyDone.inc();
        ledger.tally().countAlreadyDone();
        return;
      }
      String last = resume.lastStatus(item.id());
      if (!policy.retryFailed() && LedgerRecord.FAILED.equals(last)) {
        keptFailed.inc();
        return;
      }
      if (!policy.resendUncertain() && LedgerRecord.SENDING.equals(last)) {
        keptUncertain.inc();
        return;
      }

      PreparedAudio audio;
      try {
        audio = preparer.prepare(file);
      } catch (AudioFormatException e) {
        conclude(out, fail(record, "audio_unreadable", item, e.getMessage()));
        return;
      } catch (RuntimeException e) {
        // A decoder bug must cost one item, not the batch.
        conclude(out, fail(record, "audio_unreadable", item, "decoder error: " + e));
        return;
      }
      record.inputFormat(new AudioFacts(
              audio.input().sampleRate(), audio.input().channels(), audio.input().encoding(), audio.input().seconds()))
          .inputSeconds(audio.input().seconds())
          .secondsSent(audio.secondsSent())
          .gainDb(audio.gainDb())
          .warnings(audio.warnings().isEmpty() ? null : audio.warnings());
      if (audio.silent()) {
        conclude(out, record.status(LedgerRecord.SKIPPED).reason("no speech")
            .finishedAt(Instant.now().toString()).build());
        return;
      }
      if (audio.secondsSent() > MAX_SECONDS_PER_REQUEST) {
        conclude(out, fail(record, "audio_too_long", item, String.format(
            "%.1f s of audio after trimming; the API takes at most %.0f s per request",
            audio.secondsSent(), MAX_SECONDS_PER_REQUEST)));
        return;
      }
      out.get(READY).output(new PreparedItem(item, sha, fingerprint, audio, started));
    }

    private LedgerRecord fail(LedgerRecord.Builder record, String code, ManifestItem item, String what) {
      return record.status(LedgerRecord.FAILED)
          .error(LedgerError.of(code, "item '" + item.id() + "', file " + item.audio() + ": " + what))
          .finishedAt(Instant.now().toString())
          .build();
    }

    private void conclude(MultiOutputReceiver out, LedgerRecord record) {
      out.get(CONCLUDED).output(ledger.append(record));
    }

    @Teardown
    public void teardown() {
      ledger.release();
    }
  }
}
