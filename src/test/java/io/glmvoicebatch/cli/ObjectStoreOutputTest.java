package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.ObjectStoreFileSystem;
import io.glmvoicebatch.ledger.ObjectStoreRoot;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --outputDir} on an object store (the test double behind Beam's FileSystems: no append, objects
 * appear whole on close): replies, ledger, summary and report all land there, and a second run resumes
 * from what the first one wrote, part objects included.
 */
class ObjectStoreOutputTest {
  static final String KEY = "objtest01.c2VjcmV0c2VjcmV0";
  static final String OUT = "objstore://bucket/lessons/2026-11-26";

  @RegisterExtension final ObjectStoreRoot objects = new ObjectStoreRoot();

  @Test
  void sampleBatchWritesRepliesLedgerSummaryAndReportToTheStoreAndResumesFromIt() throws Exception {
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).maxInFlight(5)
        .latency(LatencyModel.fixed(Duration.ofMillis(30))).build())) {
      CliRun first = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=sample-data/manifest.jsonl",
          "--outputDir=" + OUT, "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.ALL_DONE, first.code, first.all());

      Path folder = ObjectStoreFileSystem.fileOf(OUT + "/x").getParent();
      assertFalse(Files.exists(folder.resolve("ledger.jsonl.parts")) && Files.list(folder.resolve("ledger.jsonl.parts"))
          .findAny().isPresent(), "the run's ledger parts are folded into ledger.jsonl when it ends");
      LedgerView view = LedgerLocation.object(OUT + "/ledger.jsonl").read();
      assertEquals(8, view.latest().size());
      long tokens = 0;
      for (LedgerRecord r : view.latest().values()) {
        assertEquals(LedgerStatus.OK, r.status(), r.toString());
        tokens += r.usage().totalTokens();
        Path wav = folder.resolve(r.reply().outputAudio());
        assertTrue(AudioSystem.getAudioFileFormat(wav.toFile()).getFrameLength() > 0, wav.toString());
        assertFalse(Files.readString(folder.resolve(r.reply().outputText()), StandardCharsets.UTF_8).isBlank());
      }
      assertEquals(sim.stats().totalTokensBilled(), tokens, "ledger tokens equal the service's bill");
      assertTrue(Files.readString(folder.resolve("summary.json")).contains("\"ok\" : 8"));
      String report = Files.readString(folder.resolve("report-data.js"), StandardCharsets.UTF_8);
      assertTrue(report.contains("\"audio/"), "the report links the replies relative to its folder");
      assertTrue(first.stdout.contains("report: " + OUT + "/report.html"), first.stdout);

      long requests = sim.stats().requests();
      CliRun again = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=sample-data/manifest.jsonl",
          "--outputDir=" + OUT, "--endpoint=" + sim.baseUrl());
      assertEquals(ExitCode.ALL_DONE, again.code, again.all());
      assertEquals(requests, sim.stats().requests(), "a finished batch sends nothing again");
      assertTrue(again.stdout.contains("8 already done") || again.stdout.contains("already done"), again.stdout);
    }
  }

  @Test
  void aRunThatDiedBeforeFoldingItsPartsIsResumedFromThoseParts() throws Exception {
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).maxInFlight(5)
        .latency(LatencyModel.fixed(Duration.ofMillis(30))).build())) {
      CliRun first = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=sample-data/manifest.jsonl",
          "--outputDir=" + OUT, "--endpoint=" + sim.baseUrl(), "--report=false");
      assertEquals(ExitCode.ALL_DONE, first.code, first.all());

      // As if the worker died after writing its parts but before the batch folded them: half of the items'
      // lines sit in a part object, the ledger object is gone.
      Path ledgerFile = ObjectStoreFileSystem.fileOf(OUT + "/ledger.jsonl");
      List<String> lines = Files.readAllLines(ledgerFile, StandardCharsets.UTF_8);
      List<String> kept = new ArrayList<>();
      java.util.Set<String> keptIds = new java.util.LinkedHashSet<>(); // 4 distinct items, all their lines
      for (String line : lines) {
        LedgerRecord r = LedgerView.of(List.of(line)).lines().get(0);
        if (keptIds.contains(r.id()) || keptIds.size() < 4) {
          keptIds.add(r.id());
          kept.add(line);
        }
      }
      Files.delete(ledgerFile);
      Path part = ledgerFile.resolveSibling("ledger.jsonl.parts/0001764000000000-deadbeef-000001.jsonl");
      Files.createDirectories(part.getParent());
      Files.write(part, kept, StandardCharsets.UTF_8);

      long requests = sim.stats().requests();
      CliRun resumed = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=sample-data/manifest.jsonl",
          "--outputDir=" + OUT, "--endpoint=" + sim.baseUrl(), "--report=false");
      assertEquals(ExitCode.ALL_DONE, resumed.code, resumed.all());
      assertEquals(requests + 4, sim.stats().requests(),
          "only the 4 items the parts do not hold are sent; the part held " + keptIds + "\n" + resumed.all());
      assertFalse(Files.exists(part), "the resumed run folds the old part in and deletes it");
      LedgerView view = LedgerLocation.object(OUT + "/ledger.jsonl").read();
      assertEquals(8, view.latest().size());
      view.latest().values().forEach(r -> assertEquals(LedgerStatus.OK, r.status(), r.toString()));
      assertEquals(kept, Files.readAllLines(ledgerFile, StandardCharsets.UTF_8).subList(0, kept.size()),
          "the old part's lines come first, unchanged");
    }
  }

  @Test
  void anUnknownSchemeIsAUsageErrorNamingTheOption() {
    CliRun run = CliRun.of(Map.of(), "--manifest=sample-data/manifest.jsonl", "--outputDir=nosuchfs://bucket/out");
    assertEquals(ExitCode.USAGE, run.code, run.all());
    assertTrue(run.stderr.contains("--outputDir=nosuchfs://bucket/out: no Beam filesystem"), run.stderr);
  }

  @Test
  void theS3EndpointFlagWithoutTheS3ModuleSaysWhatToAdd() {
    CliRun run = CliRun.of(Map.of(), "--manifest=sample-data/manifest.jsonl", "--outputDir=" + objects.dir(),
        "--s3Endpoint=http://127.0.0.1:9000");
    assertEquals(ExitCode.USAGE, run.code, run.all());
    assertTrue(run.stderr.contains("--s3Endpoint is for the s3:// filesystem") && run.stderr.contains("-Paws-s3"),
        run.stderr);
  }
}
