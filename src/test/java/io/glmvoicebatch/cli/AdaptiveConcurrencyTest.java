package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.pipeline.BatchPlan;
import io.glmvoicebatch.pipeline.BatchRuntime;
import io.glmvoicebatch.pipeline.RecordStamp;
import io.glmvoicebatch.pipeline.ResumePolicy;
import io.glmvoicebatch.pipeline.VoiceBatchPipeline;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import io.glmvoicebatch.simulator.SimulatorStats;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another program on the same key holds part of the account's cap, invisibly: the client meets 1302s,
 * lowers its limit (AIMD), finishes every item, and stops provoking 1302s; when the other program lets go,
 * the limit probes back up.
 */
class AdaptiveConcurrencyTest {
  static final String KEY = "adaptive01.YWRhcHRpdmVzZWNyZXQ";
  static final int CAP = 10;
  static final int HELD_BY_OTHERS = 4;
  static final int ITEMS = 120;

  @TempDir Path dir;

  /** 1302 count and request count seen by the simulator over time. */
  record Sample(long requests, long tooMany) {}

  @Test
  void limitConvergesBelowTheSharedCapAndEveryItemEndsOk() throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(CAP).reservedForOthers(HELD_BY_OTHERS)
        .latency(LatencyModel.fixed(Duration.ofMillis(600))).seed(5).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      Path out = dir.resolve("out");
      List<Sample> samples = new ArrayList<>();
      CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY),
          "--manifest=" + manifest(ITEMS), "--outputDir=" + out, "--endpoint=" + sim.baseUrl(),
          "--maxInFlight=" + CAP, "--report=false"));
      while (!run.isDone()) {
        SimulatorStats s = sim.stats();
        samples.add(new Sample(s.requests(), s.tooManyRequestsSent()));
        Thread.sleep(20);
      }
      CliRun result = run.get(1, TimeUnit.SECONDS);
      assertEquals(ExitCode.ALL_DONE, result.code, result.all());

      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      assertEquals(ITEMS, ledger.latest().size());
      for (LedgerRecord r : ledger.latest().values()) {
        assertEquals(LedgerStatus.OK, r.status(), r.toString());
      }
      SimulatorStats stats = sim.stats();
      long tooMany = stats.errorsByCode().getOrDefault("1302", 0L);
      assertTrue(tooMany > 0, "the other program's slots were never felt: " + stats);
      assertEquals(tooMany, stats.concurrencyRejections(), "every 1302 was a real over-cap rejection");
      assertTrue(stats.maxInFlight() <= CAP - HELD_BY_OTHERS, "admitted beyond what was free: " + stats);
      // Multiplicative decrease once per window: 10 -> 7 -> 5 and then at most a probe or two going over.
      assertTrue(tooMany <= 15, "1302s did not stay bounded: " + tooMany + " for " + ITEMS + " items; " + stats);

      // Converged: the second half of the requests met (almost) no 1302.
      long total = stats.requests();
      long atHalf = samples.stream().filter(s -> s.requests() <= total / 2).mapToLong(Sample::tooMany).max().orElse(0);
      long lateTooMany = tooMany - atHalf;
      assertTrue(lateTooMany <= 2, "1302s in the second half of the run: " + lateTooMany + " (first half " + atHalf + ")");
      long attempts = ledger.latest().values().stream().mapToLong(r -> r.call().attempts()).sum();
      assertEquals(ITEMS + tooMany, attempts, "each 1302 cost exactly one extra attempt");
      assertEquals(stats.requests(), attempts);
    }
  }

  /**
   * The other program holds 6 of 10 slots until we have backed off, then lets go: our limit must climb
   * back above what was free before (probe interval shortened to keep the test short, so this runs the
   * real pipeline with {@link VoiceBatchPipeline#build} and explicit client settings).
   */
  @Test
  void limitProbesBackUpWhenTheOtherProgramLetsGo() throws Exception {
    AtomicInteger held = new AtomicInteger(6);
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(CAP)
        .reservedForOthers(sinceStart -> held.get())
        .latency(LatencyModel.fixed(Duration.ofSeconds(1))).seed(6).build();
    int items = 160;
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      Path out = dir.resolve("out-probe");
      OutputFolder folder = new OutputFolder(out);
      ClientSettings client = ClientSettings.builder().endpoint(sim.baseUrl()).credentials(ApiCredentials.rawKey(KEY))
          .maxInFlight(CAP).adaptiveConcurrency(true).adaptiveProbeInterval(Duration.ofMillis(150)).build();
      BatchRuntime.Spec runtime = BatchRuntime.Spec.of(folder, new RecordStamp(new BigDecimal("80"), "RMB", true),
          client).withResume(ResumeIndex.empty());
      BatchPlan plan = new BatchPlan(ManifestReader.read(manifest(items)), NormalizerSettings.defaults(),
          "glm-4-voice", runtime, new ResumePolicy(true, true));
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
      VoiceBatchPipeline.build(pipeline, plan);
      CompletableFuture<Void> run = CompletableFuture.runAsync(() -> pipeline.run().waitUntilFinish());

      // Phase 1: until the client has met the other program (a few 1302s) and kept going under it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!run.isDone() && System.nanoTime() < deadline
          && (sim.stats().tooManyRequestsSent() == 0 || sim.stats().okReplies() < 30)) {
        Thread.sleep(10);
      }
      SimulatorStats phase1 = sim.stats();
      assertTrue(phase1.tooManyRequestsSent() > 0, "no 1302 while 6 of 10 slots were held: " + phase1);
      assertTrue(phase1.maxInFlight() <= CAP - 6, phase1.toString());
      // Phase 2: the other program stops; from here on only our requests count.
      held.set(0);
      sim.resetStats();
      run.get(180, TimeUnit.SECONDS);
      SimulatorStats phase2 = sim.stats();
      assertTrue(phase2.maxInFlight() >= CAP - 2,
          "the limit did not probe back up after the slots came free: " + phase2);
      assertEquals(0, phase2.tooManyRequestsSent(), "nobody else holds slots now: " + phase2);
      LedgerView view = LedgerView.read(folder.ledger());
      assertEquals(items, view.latest().size());
      for (LedgerRecord r : view.latest().values()) {
        assertEquals(LedgerStatus.OK, r.status(), r.toString());
      }
    }
  }

  private Path manifest(int items) {
    try {
      String clip = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString();
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < items; i++) {
        lines.add("{\"id\":\"a-" + i + "\",\"audio\":\"" + clip + "\",\"prompt\":\"Answer item " + i + ".\"}");
      }
      Path manifest = dir.resolve("manifest-" + items + ".jsonl");
      Files.write(manifest, lines, StandardCharsets.UTF_8);
      return manifest;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
