package io.glmvoicebatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.ExitCode;
import io.glmvoicebatch.cli.Main;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --clusterWorkers=N}: each worker JVM takes floor(cap / N) permits, so N JVMs sharing one account
 * never exceed its cap. Modelled with two real JVMs (separate processes, so separate JVM-wide limiters) that
 * each run half of a batch against one simulator.
 */
class ClusterWorkersShareTest {
  static final String KEY = "workershare01.c2VjcmV0c2VjcmV0";
  static final int CAP = 5;
  @TempDir Path dir;

  @Test
  void twoWorkerJvmsSplitTheCap() throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(CAP)
        .latency(LatencyModel.fixed(Duration.ofMillis(300))).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      List<Process> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        workers.add(worker(w, sim.baseUrl(), "--clusterWorkers=2"));
      }
      for (int w = 0; w < 2; w++) {
        Process p = workers.get(w);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "worker " + w + " did not finish");
        assertEquals(0, p.exitValue(), "worker " + w + ": " + Files.readString(dir.resolve("worker-" + w + ".log")));
        LedgerView ledger = LedgerView.read(dir.resolve("out-" + w).resolve("ledger.jsonl"));
        assertEquals(10, ledger.latest().values().stream().filter(LedgerRecord::isOk).count());
      }
      System.out.printf("two workers x floor(%d/2): simulator max in flight %d, 429s %d%n",
          CAP, sim.stats().maxInFlight(), sim.stats().tooManyRequestsSent());
      assertTrue(sim.stats().maxInFlight() <= 2 * (CAP / 2), "max in flight " + sim.stats().maxInFlight());
      assertEquals(0, sim.stats().tooManyRequestsSent(), "the account's cap was exceeded");
    }
  }

  @Test
  void moreWorkersThanPermitsIsAUsageError() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExitCode code = Main.run(new String[] {"--manifest=" + manifest(0, 1), "--outputDir=" + dir.resolve("o"),
        "--tier=V0", "--clusterWorkers=6"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(ExitCode.USAGE, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--clusterWorkers=6"), err.toString(StandardCharsets.UTF_8));
  }

  /** One worker JVM: this test's classpath, the CLI's main, its half of the items. */
  private Process worker(int w, String endpoint, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "io.glmvoicebatch.cli.Main",
        "--manifest=" + manifest(w * 10, 10), "--outputDir=" + dir.resolve("out-" + w),
        "--endpoint=" + endpoint, "--tier=V0"));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("worker-" + w + ".log").toFile());
    pb.environment().put("ZHIPUAI_API_KEY", KEY);
    return pb.start();
  }

  private Path manifest(int first, int count) throws Exception {
    String clip = Path.of("sample-data/clips/en-sky-blue.wav").toAbsolutePath().toString().replace(File.separator, "/");
    List<String> lines = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      lines.add("{\"id\":\"item-" + i + "\",\"audio\":\"" + clip + "\",\"prompt\":\"Answer briefly.\"}");
    }
    Path manifest = dir.resolve("manifest-" + first + ".jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }
}
