package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.SegmentPlace;
import io.glmvoicebatch.ledger.UsageCost;
import io.glmvoicebatch.manifest.RequestParams;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset export streamed from the ledger: only each manifest item's final ok state becomes a row, with
 * the request the ok line recorded; a ledger from before ok lines recorded the request takes it from the
 * manifest. (DatasetFolderTest runs the three formats through a real batch.)
 */
class DatasetExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void onlyFinalOkStatesOfTheManifestsItemsBecomeRowsWithTheRequestTheLedgerRecorded() throws Exception {
    OutputFolder folder = new OutputFolder(dir.resolve("out"));
    Path manifest = manifest("a", "b", "c", "d");
    List<LedgerRecord> lines = new ArrayList<>();
    lines.add(ok(folder, "a", "asked of a", "glm-4-voice"));
    lines.add(failed("b"));
    lines.add(ok(folder, "b", "asked of b", "glm-4-voice")); // failed, then ok: a row
    lines.add(ok(folder, "c", "asked of c", "glm-4-voice"));
    lines.add(failed("c")); // ok, then a later failed re-send: not a row
    lines.add(ok(folder, "other-manifest", "x", "glm-4-voice")); // not this manifest's
    lines.add(ok(folder, "d", "asked of d", "glm-4-voice"));
    Files.delete(dir.resolve("out").resolve(folder.audioName("d"))); // its reply is gone: left out
    write(folder, lines);

    DatasetExport.Result r = export(folder, manifest);

    Map<String, JsonNode> rows = rows(r.file());
    assertEquals(List.of("a", "b"), new ArrayList<>(rows.keySet()), "ledger order");
    assertEquals("asked of b", rows.get("b").get("prompt").asText(), "the request as the ok line recorded it");
    assertEquals(1, r.leftOut());
    assertEquals(2, r.rows());
  }

  @Test
  void aSplitRecordingWhoseItemFailedGivesNoRowsEvenForItsOkSegments() throws Exception {
    OutputFolder folder = new OutputFolder(dir.resolve("out"));
    Path manifest = manifest("split", "whole");
    LedgerRecord segment0 = ok(folder, "split", "asked", "glm-4-voice").toBuilder().place(new SegmentPlace(0, 2, null)).build();
    LedgerRecord item = failed("split").toBuilder().place(SegmentPlace.item(2)).build(); // segment 1 failed, so the item did
    write(folder, List.of(segment0, item, ok(folder, "whole", "asked", "glm-4-voice")));

    DatasetExport.Result r = export(folder, manifest);

    assertEquals(List.of("whole"), new ArrayList<>(rows(r.file()).keySet()));
  }

  @Test
  void aLedgerFromBeforeRequestsWereRecordedTakesThemFromTheManifest() throws Exception {
    OutputFolder folder = new OutputFolder(dir.resolve("out"));
    Path manifest = manifest("a", "b");
    write(folder, List.of(ok(folder, "b", null, null), ok(folder, "a", null, null)));

    DatasetExport.Result r = export(folder, manifest);

    Map<String, JsonNode> rows = rows(r.file());
    assertEquals(List.of("a", "b"), new ArrayList<>(rows.keySet()), "manifest order");
    assertEquals("manifest prompt of a", rows.get("a").get("prompt").asText());
  }

  private DatasetExport.Result export(OutputFolder folder, Path manifest) throws Exception {
    VoiceBatchOptions o = PipelineOptionsFactory.fromArgs("--datasetFormat=jsonl").as(VoiceBatchOptions.class);
    ManifestInput input = ManifestInput.file(manifest.toString());
    return DatasetExport.of(o, folder).write(LedgerFold.ids(input), input, folder.ledgerLocation(), folder);
  }

  private Path manifest(String... ids) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String id : ids) {
      Files.write(dir.resolve(id + ".wav"), new byte[] {1});
      text.append("{\"id\":\"").append(id).append("\",\"audio\":\"").append(id)
          .append(".wav\",\"prompt\":\"manifest prompt of ").append(id).append("\"}\n");
    }
    return Files.writeString(dir.resolve("m.jsonl"), text, StandardCharsets.UTF_8);
  }

  /** An ok line whose reply, text and sent audio exist; {@code model} null is a ledger from before it was recorded. */
  private LedgerRecord ok(OutputFolder folder, String id, String prompt, String model) throws Exception {
    Path root = dir.resolve("out");
    String audio = folder.audioName(id);
    String text = folder.textName(id);
    String sent = folder.normalizedName(id, null);
    for (String f : new String[] {audio, text, sent}) {
      Files.createDirectories(root.resolve(f).getParent());
      Files.write(root.resolve(f), new byte[] {1});
    }
    return LedgerRecord.builder().id(id).status(LedgerStatus.OK).params(RequestParams.prompt(prompt)).reply(rf -> rf.withModel(model))
        .usage(UsageCost.billed(10, 20, 30, Cost.DEFAULT_PRICE_PER_MILLION_TOKENS, Cost.DEFAULT_CURRENCY))
        .reply(rf -> rf.withFiles(audio, text)).input(inf -> inf.withSentAudio(model == null ? null : sent)).build();
  }

  private static LedgerRecord failed(String id) {
    return LedgerRecord.builder().id(id).status(LedgerStatus.FAILED)
        .error(new LedgerError("server_error", 500, "failed")).build();
  }

  private static void write(OutputFolder folder, List<LedgerRecord> lines) throws Exception {
    StringBuilder text = new StringBuilder();
    for (LedgerRecord r : lines) {
      text.append(r.jsonLine()).append('\n');
    }
    Files.writeString(folder.ledgerLocation().file(), text, StandardCharsets.UTF_8);
  }

  private static Map<String, JsonNode> rows(Path file) throws Exception {
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode row = JSON.readTree(line);
      rows.put(row.get("id").asText(), row);
    }
    return rows;
  }
}
