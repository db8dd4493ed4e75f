package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzipped manifest (how a bulk user ships a million lines) is read as its name says, by the pipeline and by
 * the launcher alike: lessons.csv.gz is CSV, the summary counts its items, and a re-run sends nothing. Before,
 * the pipeline billed every item while the launcher read the compressed bytes as no items: "0 ok", exit 0.
 */
class CompressedManifestTest {
  static final String KEY = "gzmanifest.c2VjcmV0c2VjcmV0";
  @TempDir Path dir;

  @Test
  void gzippedCsvAndJsonLinesRunAndResume() throws Exception {
    String clip = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString();
    gzip(dir.resolve("lessons.csv.gz"), "id,audio,prompt\nc1," + clip + ",为什么天空是蓝色的？\nc2," + clip + ",\n");
    gzip(dir.resolve("lessons.jsonl.gz"), "{\"id\":\"j1\",\"audio\":\"" + clip + "\"}\n{\"id\":\"j2\",\"audio\":\""
        + clip + "\",\"max_tokens\":9999}\n");
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).build())) {
      Map<String, String> env = Map.of("ZHIPUAI_API_KEY", KEY);
      CliRun csv = CliRun.of(env, "--manifest=" + dir.resolve("lessons.csv.gz"), "--outputDir=" + dir.resolve("csv"),
          "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.ALL_DONE, csv.code, csv.all());
      assertTrue(csv.stdout.contains("items: 2 ok, 0 failed"), csv.stdout);
      assertEquals(2, sim.stats().requests());

      CliRun again = CliRun.of(env, "--manifest=" + dir.resolve("lessons.csv.gz"), "--outputDir=" + dir.resolve("csv"),
          "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.ALL_DONE, again.code, again.all());
      assertTrue(again.stdout.contains("items: 2 ok, 0 failed"), again.stdout);
      assertEquals(2, sim.stats().requests(), "a re-run of a finished gzipped manifest sends nothing");

      CliRun jsonl = CliRun.of(env, "--manifest=" + dir.resolve("lessons.jsonl.gz"),
          "--outputDir=" + dir.resolve("jsonl"), "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.SOME_FAILED, jsonl.code, jsonl.all());
      assertTrue(jsonl.stdout.contains("items: 1 ok, 1 failed"), jsonl.stdout);
      String ledger = Files.readString(dir.resolve("jsonl/ledger.jsonl"));
      assertTrue(ledger.contains("manifest line 2: item 'j2': max_tokens must be in 1..4096, got 9999"), ledger);
      assertEquals(3, sim.stats().requests());
    }
  }

  private static void gzip(Path file, String text) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
