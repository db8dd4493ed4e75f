package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.TokenEstimate;
import io.glmvoicebatch.audio.AudioFormatException;
import io.glmvoicebatch.audio.AudioSegment;
import io.glmvoicebatch.audio.SpeechSegmenter;
import io.glmvoicebatch.audio.AudioPreparer;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.audio.PreparedAudio;
import io.glmvoicebatch.ledger.AudioFacts;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.RemoteFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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

  private final NormalizerSettings settings;
  private final ResumeIndex resume;
  private final ItemLedger ledger;
  private final String model;
  private final ResumePolicy policy;
  private final SegmentPolicy segments;

  public PrepareAudio(NormalizerSettings settings, ResumeIndex resume, ItemLedger ledger, String model,
      ResumePolicy policy, SegmentPolicy segments) {
    this.settings = settings;
    this.resume = resume;
    this.ledger = ledger;
    this.model = model;
    this.policy = policy;
    this.segments = segments;
  }

  @Override
  public PCollectionTuple expand(PCollection<ManifestItem> items) {
    return items.apply(
        ParDo.of(new PrepareFn(settings, resume, ledger, model, policy, segments))
            .withOutputTags(READY, TupleTagList.of(CONCLUDED)));
  }

  static final class PrepareFn extends DoFn<ManifestItem, PreparedItem> {
    private final NormalizerSettings settings;
    private final ResumeIndex resume;
    private final ItemLedger ledger;
    private final String model;
    private final ResumePolicy policy;
    private final SegmentPolicy segments;
    private final Counter alreadyDone = Metrics.counter(PrepareAudio.class, "alreadyDone");
    private final Counter keptFailed = Metrics.counter(PrepareAudio.class, "keptFailed");
    private final Counter keptUncertain = Metrics.counter(PrepareAudio.class, "keptUncertain");
    private transient AudioPreparer preparer;

    PrepareFn(NormalizerSettings settings, ResumeIndex resume, ItemLedger ledger, String model, ResumePolicy policy,
        SegmentPolicy segments) {
      this.settings = settings;
      this.resume = resume;
      this.ledger = ledger;
      this.model = model;
      this.policy = policy;
      this.segments = segments;
    }

    @Setup
    public void setup() {
      preparer = new AudioPreparer(settings);
    }

    @ProcessElement
    public void process(@Element ManifestItem item, MultiOutputReceiver out) {
      Instant started = Instant.now();
      if (RemoteFiles.isUri(item.audio())) {
        processRemote(item, started, out);
        return;
      }
      Path file = Path.of(item.audio());
      LedgerRecord.Builder record = startRecord(item, started);
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
      prepareAndEmit(item, started, record, sha, () -> preparer.prepare(file), out);
    }

    /** An audio file on a Beam filesystem (gs://, s3://...): read whole, then the same path as a local file. */
    private void processRemote(ManifestItem item, Instant started, MultiOutputReceiver out) {
      LedgerRecord.Builder record = startRecord(item, started);
      byte[] bytes;
      try {
        bytes = RemoteFiles.readAll(item.audio());
      } catch (FileNotFoundException e) {
        conclude(out, fail(record, "audio_unreadable", item, "file not found"));
        return;
      } catch (IOException e) {
        conclude(out, fail(record, "audio_unreadable", item, "cannot be read: " + e.getMessage()));
        return;
      }
      prepareAndEmit(item, started, record, ItemFingerprint.sha256Hex(bytes), () -> preparer.prepare(bytes), out);
    }

    /** The item's ledger record as far as it is known before its audio is read. */
    private LedgerRecord.Builder startRecord(ManifestItem item, Instant started) {
      return ledger.newRecord(item.id())
          .manifestLine(item.line())
          .inputAudio(item.audio())
          .startedAt(started.toString());
    }

    /** How an item's audio is prepared once its bytes are known to be readable. */
    private interface Preparation {
      PreparedAudio run() throws AudioFormatException;
    }

    private void prepareAndEmit(ManifestItem item, Instant started, LedgerRecord.Builder record, String sha,
        Preparation preparation, MultiOutputReceiver out) {
      String fingerprint = ItemFingerprint.of(item, sha, model, settings + " " + segments);
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
        audio = preparation.run();
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
      int maxTokens = item.maxTokens() == null ? RequestCost.DEFAULT_MAX_TOKENS : item.maxTokens();
      double limit = segments.limitSeconds(maxTokens,
          TokenEstimate.textTokens(TokenEstimate.promptText(item.system(), item.prompt())));
      if (audio.secondsSent() <= limit) {
        out.get(READY).output(new PreparedItem(item, sha, fingerprint, audio, started));
        return;
      }
      if (!segments.split() || !settings.normalize()) {
        conclude(out, fail(record, "audio_too_long", item, String.format(Locale.ROOT,
            "%.1f s of audio after trimming; one request takes at most %.0f s here (10 minutes, and the 8K-token "
                + "context with max_tokens %d)%s", audio.secondsSent(), limit, maxTokens,
            segments.split() ? "; splitting needs --normalize=true" : "; --splitLongAudio=true splits it at pauses")));
        return;
      }
      List<AudioSegment> pieces;
      try {
        pieces = SpeechSegmenter.split(audio, limit);
      } catch (AudioFormatException e) {
        conclude(out, fail(record, "audio_unreadable", item, "cannot split: " + e.getMessage()));
        return;
      }
      for (AudioSegment piece : pieces) {
        LedgerRecord done = resume.okRecord(item.id(), piece.index());
        if (done != null && fingerprint.equals(done.fingerprint())) {
          // Paid for in an earlier run: not sent again, but its reply is still part of the stitched item.
          out.get(CONCLUDED).output(done);
          continue;
        }
        out.get(READY).output(new PreparedItem(item, sha, fingerprint, piece.audio(), started, piece.index(),
            piece.count(), piece.startSeconds()));
      }
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
