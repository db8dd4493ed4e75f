package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.audio.SpeechSegmenterTest;
import io.glmvoicebatch.audio.WavFile;
import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real batch (embedded simulator) with a split recording, exported in all three dataset formats, then the
 * output folder copied elsewhere and the original deleted: every path of every manifest must resolve inside
 * the copy to a WAV that parses, and every column must keep one JSON type with no nulls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class DatasetFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The columns holding audio paths, per manifest file (relative to the output folder). */
  private static final Map<String, List<String>> FILE_COLUMNS = Map.of(
      "metadata.jsonl", List.of("file_name", "input_file_name"),
      "manifest.json", List.of("audio_filepath", "input_audio_filepath"),
      "sub/pairs.jsonl", List.of("reply_audio", "input_audio"));

  @TempDir static Path dir;
  private Path copy;
  private Path original;

  @BeforeAll
  void runBatchThreeWaysAndMoveTheFolder() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(Path.of("sample-data/clips/en-sky-blue.wav"), in.resolve("sky.wav"));
    Files.copy(Path.of("sample-data/clips/zh-triangle-angles.wav"), in.resolve("tri.wav"));
    Files.write(in.resolve("lesson.wav"), WavFile.pcm16Mono(SpeechSegmenterTest.lesson(150), 16000));
    Files.writeString(in.resolve("m.jsonl"), String.join("\n",
        "{\"id\":\"sky\",\"audio\":\"sky.wav\"}",
        "{\"id\":\"tri\",\"audio\":\"tri.wav\",\"prompt\":\"请回答。\",\"system\":\"你是老师。\",\"max_tokens\":512,"
            + "\"temperature\":0.5}",
        "{\"id\":\"lesson\",\"audio\":\"lesson.wav\",\"prompt\":\"Summarize.\"}") + "\n", StandardCharsets.UTF_8);
    original = dir.resolve("out");
    String[] base = {"--manifest=" + in.resolve("m.jsonl"), "--outputDir=" + original, "--simulatorLatencyMs=10",
        "--maxSegmentSeconds=60"};
    for (String[] extra : List.of(new String[] {"--datasetFormat=audiofolder"}, new String[] {"--datasetFormat=nemo"},
        new String[] {"--datasetManifest=" + original.resolve("sub/pairs.jsonl")})) {
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
          .toArray(String[]::new);
      CliRun run = CliRun.of(Map.of(), args);
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());
      assertTrue(run.stdout.contains("dataset manifest ("), run.all());
      assertFalse(run.stderr.contains("left out"), run.all());
    }
    copy = dir.resolve("elsewhere").resolve("moved copy");
    copyTree(original, copy);
    deleteTree(original);
    deleteTree(in);
  }

  @Test
  void everyPathOfEveryManifestResolvesInsideTheCopyToAWavThatParses() throws Exception {
    for (var e : FILE_COLUMNS.entrySet()) {
      Path manifest = copy.resolve(e.getKey());
      String text = Files.readString(manifest, StandardCharsets.UTF_8);
      assertFalse(text.contains(dir.toString()), "an absolute path in " + e.getKey());
      List<JsonNode> rows = rows(manifest);
      assertEquals(5, rows.size(), e.getKey() + ": 2 whole recordings + 3 segments");
      for (JsonNode row : rows) {
        for (String column : e.getValue()) {
          String rel = row.get(column).asText();
          assertFalse(Path.of(rel).isAbsolute(), column + " is absolute: " + rel);
          Path file = manifest.getParent().resolve(rel).normalize();
          assertTrue(file.startsWith(copy), column + " leaves the folder: " + rel);
          assertTrue(Files.isRegularFile(file), column + " missing: " + file);
          AudioFileFormat wav = AudioSystem.getAudioFileFormat(file.toFile());
          double seconds = wav.getFrameLength() / wav.getFormat().getFrameRate();
          assertTrue(seconds > 0.5, file + ": " + seconds + " s");
          if (column.equals("audio_filepath")) {
            assertEquals(seconds, row.get("duration").asDouble(), 0.01, "NeMo duration is the reply's length");
          }
          if (column.equals("input_audio_filepath")) {
            assertEquals(seconds, row.get("input_duration").asDouble(), 0.01);
          }
        }
      }
    }
    // The ledger's own output paths are relative to the folder too.
    for (LedgerRecord r : LedgerView.read(copy.resolve("ledger.jsonl")).lines()) {
      for (String p : new String[] {r.reply().outputAudio(), r.reply().outputText(), r.input().sentAudio()}) {
        assertTrue(p == null || (!Path.of(p).isAbsolute() && Files.isRegularFile(copy.resolve(p))), p);
      }
    }
  }

  @Test
  void columnsHaveOneTypeAndNoNullsWithUniqueIdsAndTheRequestOnEveryRow() throws Exception {
    for (String name : FILE_COLUMNS.keySet()) {
      List<JsonNode> rows = rows(copy.resolve(name));
      Map<String, JsonNode> firstRow = new LinkedHashMap<>();
      rows.get(0).fields().forEachRemaining(f -> firstRow.put(f.getKey(), f.getValue()));
      Set<String> ids = new HashSet<>();
      for (JsonNode row : rows) {
        List<String> keys = new ArrayList<>();
        row.fieldNames().forEachRemaining(keys::add);
        assertEquals(new ArrayList<>(firstRow.keySet()), keys, name + ": same columns in the same order");
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
          var f = it.next();
          assertFalse(f.getValue().isNull(), name + ": null " + f.getKey());
          assertEquals(firstRow.get(f.getKey()).getNodeType(), f.getValue().getNodeType(), name + ": " + f.getKey());
          assertEquals(firstRow.get(f.getKey()).isIntegralNumber(), f.getValue().isIntegralNumber(),
              name + ": " + f.getKey() + " must not switch between integer and float");
        }
        assertTrue(ids.add(row.get("id").asText()), name + ": id repeats: " + row.get("id"));
        for (String col : List.of("prompt", "system", "model")) {
          assertTrue(row.get(col).isTextual(), col);
        }
        assertTrue(row.get("max_tokens").isInt() && row.get("temperature").isDouble() && row.get("top_p").isDouble());
      }
      Map<String, JsonNode> byId = new LinkedHashMap<>();
      rows.forEach(r -> byId.put(r.get("id").asText(), r));
      assertEquals(Set.of("sky", "tri", "lesson#0", "lesson#1", "lesson#2"), byId.keySet(), name);
      JsonNode tri = byId.get("tri");
      assertEquals("请回答。", tri.get("prompt").asText());
      assertEquals("你是老师。", tri.get("system").asText());
      assertEquals(512, tri.get("max_tokens").asInt());
      assertEquals(0.5, tri.get("temperature").asDouble());
      JsonNode sky = byId.get("sky");
      assertEquals("", sky.get("system").asText(), "no system text: an empty string, not null");
      assertEquals(io.glmvoicebatch.manifest.RequestParams.DEFAULT_MAX_TOKENS, sky.get("max_tokens").asInt());
      assertEquals("glm-4-voice", sky.get("model").asText());
      assertEquals(0, sky.get("segment").asInt());
      assertEquals(1, sky.get("segments").asInt());
      JsonNode seg = byId.get("lesson#2");
      assertEquals("lesson", seg.get("item_id").asText());
      assertEquals(2, seg.get("segment").asInt());
      assertEquals(3, seg.get("segments").asInt());
      assertTrue(seg.get("segment_start_seconds").asDouble() > 60);
      assertEquals("Summarize.", seg.get("prompt").asText());
      assertTrue(seg.get("seconds_sent").asDouble() <= 60.0);
      String textColumn = name.equals("manifest.json") ? "text" : "reply_text";
      assertFalse(seg.get(textColumn).asText().isBlank());
    }
    JsonNode nemo = rows(copy.resolve("manifest.json")).get(0);
    assertTrue(nemo.get("audio_filepath").isTextual() && nemo.get("duration").isDouble() && nemo.get("text").isTextual());
    JsonNode hf = rows(copy.resolve("metadata.jsonl")).get(0);
    assertTrue(hf.get("file_name").asText().startsWith("audio/") && hf.get("input_file_name").asText()
        .startsWith("normalized/"), hf.toString());
    JsonNode generic = rows(copy.resolve("sub/pairs.jsonl")).get(0);
    assertTrue(generic.get("reply_audio").asText().startsWith("../audio/"), generic.toString());
  }

  @Test
  void theReportsLinksResolveInsideTheCopyForWholeRecordingsAndSegments() throws Exception {
    String js = Files.readString(copy.resolve("report-data.js"), StandardCharsets.UTF_8);
    int metaAt = js.indexOf("window.REPORT_META = ");
    JsonNode rows = JSON.readTree(js.substring(js.indexOf('[', js.indexOf("window.REPORT_ROWS")), js.lastIndexOf(';', metaAt)));
    JsonNode meta = JSON.readTree(js.substring(metaAt + "window.REPORT_META = ".length(), js.lastIndexOf(';')));
    List<String> columns = new ArrayList<>();
    meta.get("columns").forEach(c -> columns.add(c.asText()));
    Map<String, Path> inputs = new LinkedHashMap<>();
    int replies = 0;
    for (JsonNode row : rows) {
      String key = row.get(columns.indexOf("key")).asText();
      for (String col : List.of("input_href", "reply_href")) {
        JsonNode href = row.get(columns.indexOf(col));
        if (href.isNull()) {
          continue;
        }
        Path file = Path.of(copy.resolve("report.html").toUri().resolve(href.asText())).normalize();
        assertTrue(file.startsWith(copy) && Files.isRegularFile(file), key + " " + col + ": " + href);
        if (col.equals("input_href")) {
          inputs.put(key, file);
        } else {
          replies++;
        }
      }
    }
    // Whole recordings and each segment play the audio as sent; the split item's own row has no input player.
    assertEquals(Set.of("sky", "tri", "lesson#0", "lesson#1", "lesson#2"), inputs.keySet());
    assertEquals(6, replies, "5 pairs and the stitched reply of the split recording");
  }

  @Test
  void anUnknownDatasetFormatIsAUsageErrorBeforeAnythingIsSent() {
    Path out = dir.resolve("never");
    CliRun run = CliRun.of(Map.of(), "--manifest=sample-data/manifest.jsonl", "--outputDir=" + out,
        "--datasetFormat=parquet");
    assertEquals(ExitCode.USAGE, run.code, run.all());
    assertTrue(run.stderr.contains("--datasetFormat=parquet: not a dataset format; use audiofolder, nemo or jsonl"),
        run.stderr);
    assertFalse(Files.exists(out.resolve("ledger.jsonl")), "nothing was sent");
  }

  private static List<JsonNode> rows(Path manifest) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  /** Copies a folder tree (the tests that move an output folder share it). */
  public static void copyTree(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
