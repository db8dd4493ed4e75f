package io.glmvoicebatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --datasetManifest}: the batch's ok pairs in the shape a dataset builder loads directly. A split
 * recording contributes one line per segment (each a complete input/reply pair). Paths are absolute.
 */
final class DatasetExport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetExport() {}

  static int write(Manifest manifest, LedgerView ledger, OutputFolder folder, Path target) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    if (target.toAbsolutePath().getParent() != null) {
      Files.createDirectories(target.toAbsolutePath().getParent());
    }
    int lines = 0;
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (ManifestItem item : manifest.items()) {
        LedgerRecord r = ledger.latest().get(item.id());
        if (r == null || !r.isOk()) {
          continue;
        }
        int parts = r.segments() == null ? 1 : r.segments();
        for (int i = 0; i < parts; i++) {
          LedgerRecord line = r.segments() == null ? r : ledger.latest().get(LedgerView.key(item.id(), i));
          if (line == null || !line.isOk()) {
            continue;
          }
          w.write(JSON.writeValueAsString(entry(item, line, folder)));
          w.write('\n');
          lines++;
        }
      }
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return lines;
  }

  private static ObjectNode entry(ManifestItem item, LedgerRecord r, OutputFolder folder) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", item.id());
    if (r.segment() != null) {
      n.put("segment", r.segment());
      n.put("segment_start_seconds", r.segmentStartSeconds());
    }
    n.put("input_audio", item.audio());
    String normalized = folder.normalizedName(item.id(), r.segment());
    n.put("normalized_audio", folder.exists(normalized) ? folder.locate(normalized) : null);
    n.put("prompt", item.prompt());
    n.put("system", item.system());
    n.put("reply_text", new String(folder.read(r.outputText()), StandardCharsets.UTF_8));
    n.put("reply_audio", folder.locate(r.outputAudio()));
    n.put("input_seconds", r.inputSeconds());
    n.put("seconds_sent", r.secondsSent());
    n.put("reply_seconds", r.replySeconds());
    n.put("request_id", r.requestId());
    n.put("response_id", r.responseId());
    return n;
  }
}
