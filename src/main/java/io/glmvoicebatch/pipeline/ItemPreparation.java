package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.TokenEstimate;
import io.glmvoicebatch.audio.AudioFormatException;
import io.glmvoicebatch.audio.AudioPreparer;
import io.glmvoicebatch.audio.AudioSegment;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.audio.PreparedAudio;
import io.glmvoicebatch.audio.SpeechSegmenter;
import io.glmvoicebatch.ledger.AudioFacts;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.RemoteFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One item from manifest line to sendable audio, just in time for its request: resume decision, read,
 * hash, decode, normalize, split. Items whose audio cannot be used are concluded here (ledger line
 * written) and never sent. Safe to call from several threads at once. The batch's shared things (ledger,
 * tally, resume index) come with each call from the caller's {@link BatchRuntime}.
 */
final class ItemPreparation implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ItemPreparation.class);

  private final NormalizerSettings settings;
  private final InputFileCheck inputFiles;
  private final String model;
  private final ResumePolicy policy;
  private final SegmentPolicy segments;
  private final boolean marksUncertain;
  private transient AudioPreparer preparer;

  /**
   * What became of one item here.
   *
   * @param toSend requests to send (one, or one per segment still to do)
   * @param concluded lines this item got here: a failure, a skip, or segments an earlier run finished
   */
  record Outcome(List<PreparedItem> toSend, List<LedgerRecord> concluded) {
    static final Outcome NOTHING = new Outcome(List.of(), List.of());

    static Outcome concluded(LedgerRecord record) {
      return new Outcome(List.of(), List.of(record));
    }
  }

  ResumePolicy policy() {
    return policy;
  }

  ItemPreparation(NormalizerSettings settings, InputFileCheck inputFiles, String model, ResumePolicy policy,
      SegmentPolicy segments, boolean marksUncertain) {
    this.settings = settings;
    this.inputFiles = inputFiles;
    this.model = model;
    this.policy = policy;
    this.segments = segments;
    this.marksUncertain = marksUncertain;
  }

  private synchronized AudioPreparer preparer() {
    if (preparer == null) {
      preparer = new AudioPreparer(settings);
    }
    return preparer;
  }

  Outcome prepare(BatchRuntime runtime, ManifestItem item) {
    if (marksUncertain) {
      markUncertain(runtime, item);
    }
    Instant started = Instant.now();
    if (RemoteFiles.isUri(item.audio())) {
      return prepareRemote(runtime, item, started);
    }
    LedgerRecord.Builder record = startRecord(runtime, item, started);
    Path file;
    try {
      file = Path.of(item.audio());
    } catch (InvalidPathException e) {
      // A name this JVM's charset cannot encode (no UTF-8 locale), or a NUL: this item's failure only.
      return conclude(runtime, fail(record, "audio_unreadable", item, "the file name cannot be opened here: "
          + e.getReason()));
    }
    String unusable = inputFiles.problemWith(file);
    if (unusable != null) {
      return conclude(runtime, fail(record, "audio_unreadable", item, unusable));
    }
    String sha;
    try {
      sha = ItemFingerprint.sha256Hex(file, inputFiles.maxBytes());
    } catch (NoSuchFileException e) {
      return conclude(runtime, fail(record, "audio_unreadable", item, item.audio().indexOf('\uFFFD') >= 0
          ? "file not found: its name is not valid UTF-8 (U+FFFD marks the bytes that are not, as in a name from "
              + "an archive made on a GBK system); rename the file"
          : "file not found"));
    } catch (AccessDeniedException e) {
      return conclude(runtime, fail(record, "audio_unreadable", item, "permission denied"));
    } catch (IOException | RuntimeException e) {
      String what = Files.isDirectory(file) ? "is a directory, not a file" : "cannot be read: " + e.getMessage();
      return conclude(runtime, fail(record, "audio_unreadable", item, what));
    }
    return prepare(runtime, item, started, record, sha, () -> preparer().prepare(file));
  }

  /**
   * What the previous run left in flight for this item gets an {@code uncertain} line before anything else
   * happens to the item: the ledger then says, in order, that it may have been billed.
   */
  private void markUncertain(BatchRuntime runtime, ManifestItem item) {
    List<LedgerRecord> inFlight = runtime.resume().inFlight(item.id());
    if (inFlight.isEmpty()) {
      return;
    }
    LOG.warn("item '{}' was in flight when the last run stopped and may have been billed{}", item.id(),
        policy.resendUncertain() ? " (sending it again; --resendUncertain=false keeps it as uncertain)"
            : " (not sent again)");
    String now = Instant.now().toString();
    for (LedgerRecord last : inFlight) {
      runtime.append(last.toBuilder().status(LedgerStatus.UNCERTAIN)
          .reason(LedgerRecord.UNCERTAIN_REASON)
          .call(cf -> cf.withFinishedAt(now)).build());
    }
  }

  /** An audio file on a Beam filesystem (gs://, s3://...): read whole, then the same path as a local file. */
  private Outcome prepareRemote(BatchRuntime runtime, ManifestItem item, Instant started) {
    LedgerRecord.Builder record = startRecord(runtime, item, started);
    byte[] bytes;
    try {
      bytes = RemoteFiles.readAll(item.audio(), inputFiles.maxBytes());
    } catch (FileNotFoundException e) {
      return conclude(runtime, fail(record, "audio_unreadable", item, "file not found"));
    } catch (IOException e) {
      return conclude(runtime, fail(record, "audio_unreadable", item, "cannot be read: " + e.getMessage()));
    }
    return prepare(runtime, item, started, record, ItemFingerprint.sha256Hex(bytes), () -> preparer().prepare(bytes));
  }

  /** The item's ledger record as far as it is known before its audio is read. */
  private LedgerRecord.Builder startRecord(BatchRuntime runtime, ManifestItem item, Instant started) {
    return runtime.records().newRecord(item.id())
        .manifestLine(item.line())
        .input(inf -> inf.withAudio(item.audio()))
        .call(cf -> cf.withStartedAt(started.toString()));
  }

  /** How an item's audio is prepared once its bytes are known to be readable. */
  private interface Decoding {
    PreparedAudio run() throws AudioFormatException;
  }

  private Outcome prepare(BatchRuntime runtime, ManifestItem item, Instant started, LedgerRecord.Builder record,
      String sha, Decoding decoding) {
    String fingerprint = ItemFingerprint.of(item, sha, model, settings, segments);
    record.input(in -> in.withFingerprint(sha, fingerprint, ItemFingerprint.VERSION_NUMBER));
    ResumeIndex resume = runtime.resume();
    if (resume.alreadyDone(item.id(), fingerprint)) {
      runtime.tally().countAlreadyDone();
      return Outcome.NOTHING;
    }
    LedgerStatus last = resume.lastStatus(item.id());
    if (!policy.retryFailed() && last == LedgerStatus.FAILED) {
      return Outcome.NOTHING;
    }
    if (!policy.resendUncertain() && (last == LedgerStatus.SENDING || last == LedgerStatus.UNCERTAIN)) {
      return Outcome.NOTHING;
    }

    PreparedAudio audio;
    try {
      audio = decoding.run();
    } catch (AudioFormatException e) {
      return conclude(runtime, fail(record, "audio_unreadable", item, e.getMessage()));
    } catch (RuntimeException e) {
      // A decoder bug must cost one item, not the batch.
      return conclude(runtime, fail(record, "audio_unreadable", item, "decoder error: " + e));
    }
    AudioFacts format = new AudioFacts(
        audio.input().sampleRate(), audio.input().channels(), audio.input().encoding(), audio.input().seconds());
    record.input(in -> in.decoded(format, audio.secondsSent(), audio.gainDb(),
        audio.warnings().isEmpty() ? null : audio.warnings()));
    if (audio.silent()) {
      return conclude(runtime, record.status(LedgerStatus.SKIPPED).reason("no speech")
          .call(cf -> cf.withFinishedAt(Instant.now().toString())).build());
    }
    int maxTokens = item.params().effectiveMaxTokens();
    String text = TokenEstimate.promptText(item.params().system(), item.params().prompt());
    double limit = segments.limitSeconds(maxTokens, TokenEstimate.textTokens(text),
        audio.wavBytes().length / Math.max(audio.secondsSent(), 0.001), text.getBytes(StandardCharsets.UTF_8).length);
    String noRoom = SegmentPolicy.noRoomForAudio(limit, maxTokens, TokenEstimate.textTokens(text));
    if (noRoom != null) {
      return conclude(runtime, fail(record, "prompt_too_long", item, noRoom));
    }
    if (audio.secondsSent() <= limit) {
      return new Outcome(List.of(new PreparedItem(item, sha, fingerprint, audio, started)), List.of());
    }
    if (!segments.split() || !settings.normalize()) {
      return conclude(runtime, fail(record, "audio_too_long", item, String.format(Locale.ROOT,
          "%.1f s of audio after trimming; one request takes at most %.0f s here (10 minutes, the 8K-token "
              + "context with max_tokens %d, and --maxRequestMb=%s)%s", audio.secondsSent(), limit, maxTokens,
          segments.maxRequestBytes() / (1024.0 * 1024),
          segments.split() ? "; splitting needs --normalize=true" : "; --splitLongAudio=true splits it at pauses")));
    }
    List<AudioSegment> pieces;
    try {
      pieces = SpeechSegmenter.split(audio, limit);
    } catch (AudioFormatException e) {
      return conclude(runtime, fail(record, "audio_unreadable", item, "cannot split: " + e.getMessage()));
    }
    List<PreparedItem> toSend = new ArrayList<>();
    List<LedgerRecord> done = new ArrayList<>();
    for (AudioSegment piece : pieces) {
      LedgerRecord earlier = resume.okRecord(item.id(), piece.index());
      if (earlier != null && fingerprint.equals(earlier.input().fingerprint())) {
        // Paid for in an earlier run: not sent again, but its reply is still part of the stitched item.
        done.add(earlier);
        continue;
      }
      toSend.add(new PreparedItem(item, sha, fingerprint, piece.audio(), started, piece.index(),
          piece.count(), piece.startSeconds()));
    }
    return new Outcome(toSend, done);
  }

  private LedgerRecord fail(LedgerRecord.Builder record, String code, ManifestItem item, String what) {
    return record.status(LedgerStatus.FAILED)
        .error(LedgerError.of(code, "item '" + item.id() + "', file " + item.audio() + ": " + what))
        .call(cf -> cf.withFinishedAt(Instant.now().toString()))
        .build();
  }

  private Outcome conclude(BatchRuntime runtime, LedgerRecord record) {
    return Outcome.concluded(runtime.append(record));
  }
}
