package io.glmvoicebatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.IdLines;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.manifest.RequestParams;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --datasetManifest} / {@code --datasetFormat}: the batch's ok pairs in a shape a loader reads as it
 * is (docs/dataset.md). A split recording contributes one row per segment, each a complete pair with its own
 * id. Audio paths are relative to the manifest's own folder (where audiofolder and NeMo resolve them), so a
 * manifest inside the output folder moves with it.
 *
 * <p>Every column has one JSON type in every row of every shard: a loader infers a column's type from the
 * rows it sees first (pyarrow: a column null in all of them is typed null and clashes with a shard that has
 * values). So an absent text is "", a parameter not sent is the service's documented default (what it used),
 * and a whole recording is segment 0 of 1 starting at 0.0 s.
 */
final class DatasetExport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What was written: rows, and the pairs left out because a file they need is not in the folder (how many,
   * and the first few).
   */
  record Result(Path file, int rows, int leftOut, List<String> leftOutExamples) {}

  final Path target;
  final DatasetFormat format;
  private final String model;

  private DatasetExport(Path target, DatasetFormat format, String model) {
    this.target = target.toAbsolutePath().normalize();
    this.format = format;
    this.model = model;
  }

  /** The export the options ask for, or null when they ask for none; checked before anything is sent. */
  static DatasetExport of(VoiceBatchOptions o, OutputFolder folder) throws UsageException {
    String file = o.getDatasetManifest();
    if (file == null && o.getDatasetFormat() == null) {
      return null;
    }
    Path target;
    try {
      target = file == null ? null : Path.of(file);
    } catch (InvalidPathException e) {
      throw new UsageException("--datasetManifest=" + file + ": " + e.getMessage());
    }
    DatasetFormat format = DatasetFormat.of(o.getDatasetFormat(),
        target == null || target.getFileName() == null ? null : target.getFileName().toString());
    if (target == null) {
      if (!folder.isLocal()) {
        throw new UsageException("--datasetFormat with an --outputDir on " + folder.location()
            + ": name a local --datasetManifest=FILE");
      }
      target = folder.root().resolve(format.defaultFileName);
    }
    return new DatasetExport(target, format, o.getModel());
  }

  /** Why this manifest would not load as the user expects, or null. */
  String warning(OutputFolder folder) {
    if (folder.isLocal() && !target.startsWith(folder.root())) {
      return "the dataset manifest " + target + " is outside --outputDir " + folder.location() + ": its paths point "
          + "into that folder relative to the manifest, so the two only move together";
    }
    if (format == DatasetFormat.AUDIOFOLDER && !target.getFileName().toString().equals(format.defaultFileName)) {
      return "--datasetFormat=audiofolder writes " + target.getFileName() + ", but the audiofolder loader reads only "
          + "a file named " + format.defaultFileName;
    }
    return null;
  }

  /**
   * Writes the dataset manifest from the ledger alone, streamed: one pass notes each key's last line and
   * last ok line in compact id tables, the next writes a row for every final ok line of the manifest's
   * items, in ledger order. Ok lines carry what was sent (prompt, system text, parameters, model), so a
   * million-item batch needs neither the manifest's items nor the ledger's records in memory. Ledgers from
   * before those fields ({@code model} null on an ok line) are exported from the manifest read whole.
   *
   * @param manifestIds the ids of the manifest's items: other items in the folder's ledger are not exported
   * @param manifest the manifest, read only for a ledger written before requests were recorded
   */
  Result write(IdLines manifestIds, ManifestInput manifest, LedgerLocation ledger, OutputFolder folder)
      throws IOException {
    IdLines last = new IdLines();
    IdLines lastOk = new IdLines();
    boolean[] legacy = {false};
    ledger.forEachLine((n, r, bad) -> {
      if (r != null) {
        String key = LedgerView.key(r.id(), r.segment());
        last.put(key, n);
        if (r.isOk()) {
          lastOk.put(key, n);
          legacy[0] |= r.reply().model() == null && manifestIds.contains(r.id());
        }
      }
    });
    if (legacy[0]) {
      Manifest whole = manifest.inMemory() != null ? manifest.inMemory() : ManifestReader.read(manifest.location());
      return write(whole, ledger.read(), folder);
    }
    Path file = target;
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    LeftOut leftOut = new LeftOut();
    int[] rows = {0};
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      ledger.forEachLine((n, r, bad) -> {
        if (r == null || !r.isOk() || !manifestIds.contains(r.id())) {
          return;
        }
        String key = LedgerView.key(r.id(), r.segment());
        boolean itemOk = last.get(r.id()) != 0 && last.get(r.id()) == lastOk.get(r.id());
        boolean splitItemLine = r.segment() == null && r.segments() != null; // its segments are the rows
        if (last.get(key) != n || !itemOk || splitItemLine) {
          return;
        }
        Map<String, Object> row = row(Request.of(r), key, r, folder, file.getParent(), leftOut);
        if (row != null) {
          try {
            w.write(JSON.writeValueAsString(row));
            w.write('\n');
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          rows[0]++;
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Result(file, rows[0], leftOut.count, leftOut.examples);
  }

  /** The manifest read whole, for a ledger written before ok lines recorded the request. */
  private Result write(Manifest manifest, LedgerView ledger, OutputFolder folder) throws IOException {
    Path file = target;
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    int rows = 0;
    LeftOut leftOut = new LeftOut();
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (ManifestItem item : manifest.items()) {
        LedgerRecord r = ledger.latest().get(item.id());
        if (r == null || !r.isOk()) {
          continue;
        }
        int parts = r.segments() == null ? 1 : r.segments();
        for (int i = 0; i < parts; i++) {
          String key = r.segments() == null ? item.id() : LedgerView.key(item.id(), i);
          LedgerRecord line = r.segments() == null ? r : ledger.latest().get(key);
          if (line == null || !line.isOk()) {
            continue;
          }
          Map<String, Object> row = row(Request.of(item), key, line, folder, file.getParent(), leftOut);
          if (row != null) {
            w.write(JSON.writeValueAsString(row));
            w.write('\n');
            rows++;
          }
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Result(file, rows, leftOut.count, leftOut.examples);
  }

  /** What a row says was asked: from an ok ledger line, or from the manifest for a ledger without it. */
  private record Request(String id, RequestParams params) {
    static Request of(LedgerRecord r) {
      return new Request(r.id(), r.params());
    }

    static Request of(ManifestItem item) {
      return new Request(item.id(), item.params());
    }
  }

  /** The pairs left out: a count and the first few, so a batch of missing files does not fill the heap. */
  private static final class LeftOut {
    static final int EXAMPLES = 5;
    final List<String> examples = new ArrayList<>();
    int count;

    void add(String why) {
      if (count++ < EXAMPLES) {
        examples.add(why);
      }
    }
  }

  /** One row, or null (and {@code leftOut} told why) when its reply or sent audio is not in the folder. */
  private Map<String, Object> row(Request item, String key, LedgerRecord r, OutputFolder folder, Path base,
      LeftOut leftOut) {
    String reply = folder.inside(r.reply().outputAudio());
    String text = folder.inside(r.reply().outputText());
    String sent = r.input().sentAudio() != null ? folder.inside(r.input().sentAudio())
        : folder.normalizedName(item.id(), r.segment());
    for (String[] need : new String[][] {{reply, "reply audio"}, {text, "reply text"}, {sent, "audio as sent"}}) {
      if (need[0] == null || !folder.exists(need[0])) {
        leftOut.add(key + " (no " + need[1] + (need[0] == null ? "" : " at " + need[0]) + ")");
        return null;
      }
    }
    String replyText = new String(folder.read(text), StandardCharsets.UTF_8);
    double replySeconds = r.reply().replySeconds() == null ? 0.0 : r.reply().replySeconds();
    double secondsSent = r.input().secondsSent() == null ? 0.0 : r.input().secondsSent();
    Map<String, Object> n = new LinkedHashMap<>();
    switch (format) {
      case AUDIOFOLDER -> {
        n.put("file_name", path(folder, base, reply));
        n.put("input_file_name", path(folder, base, sent));
      }
      case NEMO -> {
        n.put("audio_filepath", path(folder, base, reply));
        n.put("duration", replySeconds);
        n.put("text", replyText);
        n.put("input_audio_filepath", path(folder, base, sent));
        n.put("input_duration", secondsSent);
      }
      case JSONL -> {
        n.put("reply_audio", path(folder, base, reply));
        n.put("input_audio", path(folder, base, sent));
      }
    }
    n.put("id", key);
    n.put("item_id", item.id());
    n.put("segment", r.segment() == null ? 0 : r.segment());
    n.put("segments", r.segments() == null ? 1 : r.segments());
    n.put("segment_start_seconds", r.place().startSeconds() == null ? 0.0 : r.place().startSeconds());
    n.put("prompt", orEmpty(item.params().prompt()));
    n.put("system", orEmpty(item.params().system()));
    n.put("model", r.reply().model() != null ? r.reply().model() : model);
    n.put("max_tokens", item.params().effectiveMaxTokens());
    n.put("temperature", item.params().effectiveTemperature());
    n.put("top_p", item.params().effectiveTopP());
    if (format != DatasetFormat.NEMO) {
      n.put("reply_text", replyText);
    }
    n.put("reply_seconds", replySeconds);
    n.put("seconds_sent", secondsSent);
    n.put("input_seconds", r.input().seconds() == null ? 0.0 : r.input().seconds());
    n.put("finish_reason", orEmpty(r.reply().finishReason()));
    n.put("request_id", orEmpty(r.call().requestId()));
    n.put("response_id", orEmpty(r.call().responseId()));
    n.put("input_sha256", orEmpty(r.input().sha256()));
    return n;
  }

  /** {@code relative} (a name in the folder) as a '/'-separated path from the manifest's folder. */
  private static String path(OutputFolder folder, Path base, String relative) {
    if (!folder.isLocal()) {
      return folder.locate(relative); // an object store has no relative paths a loader follows
    }
    return base.relativize(folder.root().resolve(relative).normalize()).toString().replace('\\', '/');
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
