package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.ledger.ObjectStoreRoot;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --clusterWorkers=2} through the CLI: on a local folder the worker JVMs share the whole cap through the
 * slot leases (here one JVM takes all of it, as a worker whose peers are idle would), and the run's
 * {@code .slots/} is gone when it ends; on an object store, which has no exclusive create, each JVM holds
 * floor(cap / 2) and the CLI says so.
 */
class ClusterWorkersOptionTest {
  static final String KEY = "clusterworkers01.c2VjcmV0c2VjcmV0";

  @RegisterExtension final ObjectStoreRoot objects = new ObjectStoreRoot();
  @TempDir Path dir;

  @Test
  void onALocalFolderOneWorkerCanUseTheWholeCap() throws Exception {
    try (GlmVoiceSimulator sim = simulator()) {
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=sample-data/manifest.jsonl",
          "--outputDir=" + dir.resolve("out"), "--endpoint=" + sim.baseUrl(), "--clusterWorkers=2");
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());
      assertEquals(5, sim.stats().maxInFlight(), "the whole cap of 5, not floor(5/2)");
      assertEquals(0, sim.stats().tooManyRequestsSent());
      assertFalse(Files.exists(dir.resolve("out/.slots")), "the run's slot leases are removed when it ends");
    }
  }

  @Test
  void onAnObjectStoreEachWorkerHoldsItsShareWithAWarning() throws Exception {
    try (GlmVoiceSimulator sim = simulator()) {
      CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=sample-data/manifest.jsonl",
          "--outputDir=objstore://bucket/workers", "--endpoint=" + sim.baseUrl(), "--clusterWorkers=2");
      assertEquals(ExitCode.ALL_DONE, run.code, run.all());
      assertTrue(run.stderr.contains("each of the 2 worker JVMs holds 2 of the 5 requests in flight"), run.stderr);
      assertTrue(sim.stats().maxInFlight() <= 2, "max in flight " + sim.stats().maxInFlight());
    }
  }

  private static GlmVoiceSimulator simulator() throws Exception {
    return GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).maxInFlight(5)
        .latency(LatencyModel.fixed(Duration.ofMillis(500))).build());
  }
}
