package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad line or file fails only its own item, with a message naming the line or file. */
class BadManifestTest {
  static final String KEY = "badtest01.c2VjcmV0c2VjcmV0";
  @TempDir Path dir;

  @Test
  void badLinesAndFilesFailAloneAndGoodItemsEndOk() throws Exception {
    String clip = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString();
    Files.writeString(dir.resolve("notes.wav"), "these are my notes, not audio\n");
    Files.write(dir.resolve("manifest.jsonl"), List.of(
        "{\"id\":\"good-1\",\"audio\":\"" + clip + "\"}",
        "{\"id\":\"broken\",\"audio\":",
        "{\"id\":\"missing\",\"audio\":\"no-such-file.wav\"}",
        "{\"id\":\"good-1\",\"audio\":\"" + clip + "\"}",
        "{\"id\":\"../escape\",\"audio\":\"" + clip + "\"}",
        "{\"id\":\"not-audio\",\"audio\":\"notes.wav\"}",
        "{\"id\":\"good-2\",\"audio\":\"" + clip + "\",\"prompt\":\"Answer briefly.\"}"), StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).latency(LatencyModel.fixed(Duration.ofMillis(20))).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY),
          "--manifest=" + dir.resolve("manifest.jsonl"), "--outputDir=" + out, "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.SOME_FAILED, run.code, run.all());
      Map<String, LedgerRecord> latest = LedgerView.read(out.resolve("ledger.jsonl")).latest();
      assertEquals(LedgerStatus.OK, latest.get("good-1").status());
      assertEquals(LedgerStatus.OK, latest.get("good-2").status());
      assertFailed(latest.get("line-2"), "manifest", "manifest line 2: invalid JSON");
      assertFailed(latest.get("missing"), "audio_unreadable",
          "item 'missing', file " + dir.resolve("no-such-file.wav") + ": file not found");
      assertFailed(latest.get("line-4"), "manifest", "manifest line 4: duplicate id 'good-1' (first used on line 1)");
      assertFailed(latest.get("line-5"), "manifest", "manifest line 5: id '../escape' contains '..'");
      assertFailed(latest.get("not-audio"), "audio_unreadable", "item 'not-audio', file " + dir.resolve("notes.wav") + ": ");
      assertEquals(7, latest.size());
      assertEquals(2, sim.stats().requests(), "only the good items are sent");
      assertTrue(run.stdout.contains("2 ok, 5 failed"), run.stdout);
    }
  }

  /**
   * Manifests as tools write them, through the CLI: a GBK CSV from Chinese Excel with its trailing ",," rows runs
   * every item ok; a JSONL with one line of bad bytes fails that line alone; a CSV with no usable column is a
   * configuration error (exit 2), not a batch of failed items; so is a UTF-16 manifest (the streaming reader
   * cuts at newline bytes), naming the encoding and the fix.
   */
  @Test
  void manifestsAsToolsWriteThem() throws Exception {
    String clip = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString();
    Files.write(dir.resolve("excel.csv"), ("id,audio,prompt\r\n张三-提问," + clip + ",请用简单的话回答。\r\nlisi," + clip
        + ",为什么？\r\n,,\r\n,,\r\n").getBytes(java.nio.charset.Charset.forName("GBK")));
    java.io.ByteArrayOutputStream jsonl = new java.io.ByteArrayOutputStream();
    jsonl.writeBytes(("{\"id\":\"a\",\"audio\":\"" + clip + "\"}\n{\"id\":\"b\",\"audio\":\"" + clip + "\",\"prompt\":\"")
        .getBytes(StandardCharsets.UTF_8));
    jsonl.write(0xFF);
    jsonl.writeBytes(("\"}\n{\"id\":\"c\",\"audio\":\"" + clip + "\"}\n").getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("bad-bytes.jsonl"), jsonl.toByteArray());
    Files.writeString(dir.resolve("pipes.csv"), "id|audio\nx|" + clip + "\n");
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).latency(LatencyModel.fixed(Duration.ofMillis(20))).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      Map<String, String> env = Map.of("ZHIPUAI_API_KEY", KEY);
      String endpoint = "--endpoint=" + sim.baseUrl();
      CliRun excel = CliRun.of(env, "--manifest=" + dir.resolve("excel.csv"), "--outputDir=" + dir.resolve("o1"), endpoint);
      assertEquals(ExitCode.ALL_DONE, excel.code, excel.all());
      assertTrue(excel.stdout.contains("2 ok, 0 failed"), excel.stdout);

      CliRun bytes = CliRun.of(env, "--manifest=" + dir.resolve("bad-bytes.jsonl"), "--outputDir=" + dir.resolve("o2"), endpoint);
      assertEquals(ExitCode.SOME_FAILED, bytes.code, bytes.all());
      Map<String, LedgerRecord> latest = LedgerView.read(dir.resolve("o2/ledger.jsonl")).latest();
      assertEquals(LedgerStatus.OK, latest.get("a").status());
      assertEquals(LedgerStatus.OK, latest.get("c").status());
      assertFailed(latest.get("line-2"), "manifest", "manifest line 2: not valid UTF-8 (byte 0xFF at byte ");

      CliRun pipes = CliRun.of(env, "--manifest=" + dir.resolve("pipes.csv"), "--outputDir=" + dir.resolve("o3"), endpoint);
      assertEquals(ExitCode.USAGE, pipes.code, pipes.all());
      assertTrue(pipes.stderr.contains("no usable column in the CSV header 'id|audio'"), pipes.all());

      Files.write(dir.resolve("unicode.csv"), ("\uFEFFid\taudio\r\nx\t" + clip + "\r\n").getBytes(StandardCharsets.UTF_16LE));
      CliRun utf16 = CliRun.of(env, "--manifest=" + dir.resolve("unicode.csv"), "--outputDir=" + dir.resolve("o4"), endpoint);
      assertEquals(ExitCode.USAGE, utf16.code, utf16.all());
      assertTrue(utf16.stderr.contains("is UTF-16LE (byte-order mark)") && utf16.stderr.contains("CSV UTF-8"), utf16.all());
      assertEquals(4, sim.stats().requests(), "nothing sent for the unusable manifests");
    }
  }

  private static void assertFailed(LedgerRecord r, String code, String messageStart) {
    assertEquals(LedgerStatus.FAILED, r.status(), String.valueOf(r));
    assertEquals(code, r.error().code());
    assertTrue(r.error().message().startsWith(messageStart), r.error().message());
  }
}
