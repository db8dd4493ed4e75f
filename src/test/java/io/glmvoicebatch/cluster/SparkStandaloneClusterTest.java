package io.glmvoicebatch.cluster;

import static io.glmvoicebatch.cluster.ClusterHarness.awaitRequests;
import static io.glmvoicebatch.cluster.ClusterHarness.finish;
import static io.glmvoicebatch.cluster.ClusterHarness.manifest;
import static io.glmvoicebatch.cluster.ClusterHarness.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark 3.2.2 standalone cluster: a master and two workers as separate JVMs, each worker starting its
 * executor JVM, from a stock-like Spark {@code jars/} folder ({@code benchmarks/cluster/spark-standalone.sh});
 * the cluster jar submitted with {@code SparkSubmit} (what {@code spark-submit} runs), the simulator as a
 * separate process, exactly as docs/cluster.md's "Try it: a Spark standalone cluster" says. Then a worker is killed
 * with SIGKILL mid-run and the same command is run again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkStandaloneClusterTest {
  static final String KEY = "sparkstandalone1.c2VjcmV0c2VjcmV0";
  static final int CAP = 5;
  static final int ITEMS = 220;
  /** spark-standalone.sh's SPARK_PORT_BASE (default 19780): its ports run to base+20, the simulator at base+30. */
  static final int SIM_PORT = ClusterHarness.portBase("SPARK_PORT_BASE", 19780) + 30;
  static final Path WORK = ClusterHarness.ROOT.resolve("target/spark-standalone");
  /** The launcher's progress log line: "progress: N/M done (...)". */
  static final Pattern PROGRESS = Pattern.compile("progress: (\\d+)/(\\d+) done \\((\\d+) ok");

  /** Executor logs ({@code work/<app>/<executor>/stderr}) of this class's runs only. */
  @RegisterExtension
  static final ClusterHarness cluster =
      new ClusterHarness("spark-standalone.sh", Map.of("SPARK_WORK", WORK.toString()), WORK.resolve("work"));

  @TempDir Path dir;
  private SimulatorProcess simulator;

  @Test
  @Order(1)
  void everyItemOkWithinTheCapTheLedgerMatchesTheBillAndTheProgressLineMoves() throws Exception {
    startSimulator();
    Path out = dir.resolve("out-plain");
    long t0 = System.nanoTime();
    int exit = finish(submit(manifest(dir, ITEMS, null), out, "run"));
    double wall = (System.nanoTime() - t0) / 1e9;
    String log = log(out, "run");
    assertEquals(0, exit, tail(log));
    JsonNode stats = simulator.stats();
    LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
    assertEquals(ITEMS, ledger.latest().values().stream().filter(LedgerRecord::isOk).count(), tail(log));
    assertTrue(stats.get("maxInFlight").asInt() <= CAP, "max in flight " + stats.get("maxInFlight"));
    assertEquals(0, stats.get("tooManyRequestsSent").asLong(), "the simulator had to refuse over-cap requests");
    assertEquals(stats.get("totalTokensBilled").asLong(), BilledTwice.ledgerTokens(ledger), "ledger vs billed tokens");
    assertTrue(log.contains("items: " + ITEMS + " ok, 0 failed"), "the summary, from the ledger: " + tail(log));

    // The workers are other JVMs: the launcher's progress comes from the ledger it follows.
    List<int[]> progress = progress(log);
    assertTrue(progress.stream().anyMatch(p -> p[1] == ITEMS && p[0] > 0 && p[0] < ITEMS),
        "no progress line between 0 and " + ITEMS + " of " + ITEMS + ": " + progressLines(log));
    assertTrue(progress.stream().allMatch(p -> p[0] <= p[1] || p[1] == 0), "done above the total: " + progressLines(log));
    assertExecutorLogsClean();
    System.out.printf("spark standalone: %d ok in %.1f s (submit to exit), %d requests, max in flight %d of %d, "
        + "%d tokens billed; %s%n", ITEMS, wall, stats.get("requests").asLong(), stats.get("maxInFlight").asInt(), CAP,
        stats.get("totalTokensBilled").asLong(), line(log, "this run:"));
  }

  /** SIGKILL worker 1 (and its executor) once 60 requests were sent, start it again, run the same command. */
  @Test
  @Order(2)
  void aKilledWorkerLeavesNothingLostAndEveryDoubleBillFlagged() throws Exception {
    startSimulator();
    Path out = dir.resolve("out-kill");
    Path manifest = manifest(dir, ITEMS, null);
    Process first = submit(manifest, out, "first");
    awaitRequests(simulator, first, 60, () -> tail(log(out, "first")));
    cluster.script("kill-worker", "1");
    cluster.script("start-worker", "1");
    int firstExit = finish(first);
    String firstLog = log(out, "first");
    // Spark re-runs the lost tasks on the other executor (recovered: 0 or 1), or the job fails: then one
    // error line after the summary of what the ledger holds, exit 4.
    assertTrue(firstExit == 0 || firstExit == 1 || firstExit == 4, "first run exit " + firstExit + ": " + tail(firstLog));
    if (firstExit == 4) {
      assertEquals(1, firstLog.lines().filter(l -> l.startsWith("error: ")).count(), tail(firstLog));
      assertTrue(firstLog.contains("error: the SparkRunner job failed on the cluster"), tail(firstLog));
      assertTrue(line(firstLog, "items:") != null, "no summary: " + tail(firstLog));
    }
    cluster.script("wait-workers", "2");
    int secondExit = finish(submit(manifest, out, "rerun"));
    String secondLog = log(out, "rerun");
    LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
    JsonNode stats = simulator.stats();
    BilledTwice twice = BilledTwice.of(ledger, stats);
    long ok = ledger.latest().values().stream().filter(LedgerRecord::isOk).count();
    long uncertain = ledger.latest().values().stream().filter(r -> r.status() == LedgerStatus.UNCERTAIN).count();
    System.out.printf("spark worker killed: first run exit %d, re-run exit %d; %d ok, %d uncertain; %d requests for "
        + "%d items; billed twice %d %s, flagged %s%n", firstExit, secondExit, ok, uncertain,
        stats.get("requests").asLong(), ITEMS, twice.billedTwice().size(), twice.billedTwice(), twice.flagged());
    assertEquals(ITEMS, ok + uncertain, "items lost: " + tail(secondLog));
    assertTrue(secondExit == 0 || secondExit == 1, "re-run exit " + secondExit + ": " + tail(secondLog));
    assertTrue(twice.flagged().containsAll(twice.billedTwice()),
        "billed twice without an uncertain line: " + twice.billedTwice());
    assertTrue(stats.get("maxInFlight").asInt() <= CAP, "max in flight " + stats.get("maxInFlight"));
    assertExecutorLogsClean();
  }

  /** The stock jars/ folder's Jackson 2.12 and Guava 14 come first on an executor: none may replace ours. */
  private static void assertExecutorLogsClean() throws Exception {
    List<Path> logs;
    try (Stream<Path> files = Files.walk(WORK.resolve("work"))) {
      logs = files.filter(f -> f.getFileName().toString().equals("stderr")).toList();
    }
    assertTrue(!logs.isEmpty(), "no executor log under " + WORK.resolve("work"));
    for (Path f : logs) {
      String text = Files.readString(f, StandardCharsets.ISO_8859_1);
      assertTrue(!text.contains("NoSuchMethodError") && !text.contains("NoClassDefFoundError"),
          f + ": " + text.lines().filter(l -> l.contains("Error")).findFirst().orElse(""));
    }
  }

  private Process submit(Path manifest, Path out, String run) throws Exception {
    ProcessBuilder pb = cluster.command("submit", "--clusterWorkers=2", "--maxInFlight=" + CAP,
        "--manifest=" + manifest, "--outputDir=" + out, "--endpoint=" + simulator.endpoint(),
        "--progressIntervalSeconds=1").redirectErrorStream(true).redirectOutput(logFile(out, run).toFile());
    pb.environment().put("ZHIPUAI_API_KEY", KEY);
    return pb.start();
  }

  private void startSimulator() throws Exception {
    simulator = cluster.restartSimulator(dir, SIM_PORT, CAP, KEY);
  }

  /** Each progress line's done and total. */
  static List<int[]> progress(String log) {
    List<int[]> lines = new ArrayList<>();
    Matcher m = PROGRESS.matcher(log);
    while (m.find()) {
      lines.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
    }
    return lines;
  }

  private static String progressLines(String log) {
    return String.join("\n", log.lines().filter(l -> l.contains("progress:")).toList());
  }

  private static String line(String log, String start) {
    return log.lines().filter(l -> l.startsWith(start)).findFirst().orElse(null);
  }

  private static Path logFile(Path out, String run) {
    return out.resolveSibling(out.getFileName() + "-" + run + ".log");
  }

  private static String log(Path out, String run) throws Exception {
    Path f = logFile(out, run);
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "(no log)";
  }
}
