package io.glmvoicebatch.cli;

import io.glmvoicebatch.audio.AudioFormatException;
import io.glmvoicebatch.audio.DecodedAudio;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.audio.WavFile;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerSink;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.manifest.RemoteFiles;
import io.glmvoicebatch.pipeline.ItemFingerprint;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.SegmentPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --rebuildLedger}: a ledger line for each reply found in the output folder, so a folder whose
 * ledger was lost does not send (and pay for) its items again. What the files tell: the id, that a reply
 * was stored (audio and text both present, the audio a readable WAV), its duration. What is lost: tokens
 * and cost, request ids, timings, input format. The fingerprint is recomputed from today's manifest line
 * and input file, on the assumption that the reply answered them; an item whose input or prompt changed
 * since is sent again on a later run, as it would have been with its ledger.
 */
final class RebuiltLedger {
  static final String REASON = "rebuilt by --rebuildLedger from the reply files: tokens, cost, request ids and "
      + "timings are unknown";

  private final OutputFolder folder;
  private final ManifestInput manifest;
  private final NormalizerSettings audio;
  private final SegmentPolicy segments;
  private final String model;
  private final InputFileCheck inputs;

  RebuiltLedger(OutputFolder folder, ManifestInput manifest, NormalizerSettings audio, SegmentPolicy segments, String model,
      InputFileCheck inputs) {
    this.folder = folder;
    this.manifest = manifest;
    this.audio = audio;
    this.segments = segments;
    this.model = model;
    this.inputs = inputs;
  }

  /** Appends one line per reply id; returns how many. */
  int write() throws IOException {
    // Read whole: a rebuild is rare, asked for, and needs every id at hand.
    Manifest whole = manifest.inMemory() != null ? manifest.inMemory() : ManifestReader.read(manifest.location());
    Map<String, ManifestItem> byId = new HashMap<>();
    whole.items().forEach(i -> byId.put(i.id(), i));
    int lines = 0;
    try (LedgerSink sink = folder.ledgerLocation().openSink()) {
      for (String id : folder.replyIds(false)) {
        sink.append(line(id, byId.get(id)));
        lines++;
      }
    }
    return lines;
  }

  private LedgerRecord line(String id, ManifestItem item) {
    String now = Instant.now().toString();
    LedgerRecord.Builder r = LedgerRecord.builder().id(id).reason(REASON)
        .call(cf -> cf.withStartedAt(now).withFinishedAt(now));
    String audioName = folder.audioName(id);
    String textName = folder.textName(id);
    if (!folder.exists(audioName) || !folder.exists(textName)) {
      return r.status(LedgerStatus.FAILED).error(LedgerError.of("rebuilt_incomplete", "item '" + id + "': only "
          + (folder.exists(audioName) ? audioName : textName) + " was found, not both reply files")).build();
    }
    try {
      DecodedAudio reply = WavFile.decode(folder.read(audioName));
      r.reply(rf -> rf.withReplySeconds((double) reply.frames() / reply.sampleRate()));
    } catch (AudioFormatException | RuntimeException e) {
      return r.status(LedgerStatus.FAILED).error(LedgerError.of("rebuilt_incomplete", "item '" + id + "': "
          + audioName + " is not a readable WAV: " + e.getMessage())).build();
    }
    r.status(LedgerStatus.OK).reply(rf -> rf.withFiles(audioName, textName));
    if (item != null) {
      r.manifestLine(item.line()).input(inf -> inf.withAudio(item.audio()));
      String sha = inputSha256(item);
      if (sha != null) {
        String fingerprint = ItemFingerprint.of(item, sha, model, audio, segments);
        r.input(in -> in.withFingerprint(sha, fingerprint, ItemFingerprint.VERSION_NUMBER));
      }
    }
    return r.build();
  }

  /** The input's hash as the batch computes it, or null when the input cannot be read now. */
  private String inputSha256(ManifestItem item) {
    try {
      if (RemoteFiles.isUri(item.audio())) {
        return ItemFingerprint.sha256Hex(RemoteFiles.readAll(item.audio(), inputs.maxBytes()));
      }
      Path file = Path.of(item.audio());
      return inputs.problemWith(file) != null ? null : ItemFingerprint.sha256Hex(file, inputs.maxBytes());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
