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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest and audio named by URI go through Beam's FileSystems (here its file:// filesystem, the one
 * always on the classpath; gs:// and s3:// work the same once their modules are added).
 */
class FileSystemsInputTest {
  static final String KEY = "fstest001.c2VjcmV0c2VjcmV0";
  @TempDir Path dir;

  @Test
  void manifestAndAudioByUriResolveRelativePathsOnTheSameFilesystem() throws Exception {
    Path clips = dir.resolve("bucket/day/clips");
    Files.createDirectories(clips);
    Files.copy(Path.of("sample-data/clips/en-sky-blue.wav"), clips.resolve("a.wav"));
    Files.copy(Path.of("sample-data/clips/zh-homework.wav"), clips.resolve("b.wav"));
    Path manifest = dir.resolve("bucket/day/manifest.jsonl");
    Files.write(manifest, List.of(
        "{\"id\":\"relative\",\"audio\":\"clips/a.wav\"}",
        "{\"id\":\"absolute-uri\",\"audio\":\"" + clips.resolve("b.wav").toUri() + "\"}",
        "{\"id\":\"missing\",\"audio\":\"clips/none.wav\"}"));
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(20))).build())) {
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest.toUri(),
          "--outputDir=" + dir.resolve("out"), "--endpoint=" + sim.baseUrl(), "--report=false");
      assertEquals(ExitCode.SOME_FAILED, run.code, run.all());
      Map<String, LedgerRecord> latest = LedgerView.read(dir.resolve("out/ledger.jsonl")).latest();
      assertEquals(LedgerStatus.OK, latest.get("relative").status(), String.valueOf(latest.get("relative")));
      assertTrue(latest.get("relative").input().audio().startsWith("file:"), latest.get("relative").input().audio());
      assertEquals(LedgerStatus.OK, latest.get("absolute-uri").status());
      LedgerRecord missing = latest.get("missing");
      assertEquals("audio_unreadable", missing.error().code());
      assertTrue(missing.error().message().endsWith("clips/none.wav: file not found"), missing.error().message());
    }
  }
}
