package io.glmvoicebatch.cluster;

import static io.glmvoicebatch.cluster.ClusterHarness.awaitRequests;
import static io.glmvoicebatch.cluster.ClusterHarness.finish;
import static io.glmvoicebatch.cluster.ClusterHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Flink 1.19 session cluster: a JobManager and two TaskManagers as separate JVMs
 * ({@code benchmarks/cluster/flink-session.sh}), the simulator as a separate process, and the batch
 * submitted over REST by the FlinkRunner from the cluster jar ({@code mvn -Pcluster package}), exactly as
 * docs/cluster.md's "Try it: a Flink session cluster" says. Then a TaskManager is killed with SIGKILL mid-run, with and
 * without a restart strategy, and the same command is run again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkSessionClusterTest {
  static final String KEY = "flinksession01.c2VjcmV0c2VjcmV0";
  static final int CAP = 5;
  static final int ITEMS = 220;
  /** flink-session.sh's FLINK_PORT_BASE (default 19700): REST at base+1, the simulator at base+29. */
  static final int PORT_BASE = ClusterHarness.portBase("FLINK_PORT_BASE", 19700);
  static final String REST = "127.0.0.1:" + (PORT_BASE + 1);
  static final int SIM_PORT = PORT_BASE + 29;

  @RegisterExtension
  static final ClusterHarness cluster = new ClusterHarness("flink-session.sh",
      Map.of("FLINK_WORK", ClusterHarness.ROOT.resolve("target/flink-session").toString()));

  @TempDir Path dir;
  private SimulatorProcess simulator;
  /** The exit code of the last killed run's first (interrupted) run. */
  private int firstExit;

  @Test
  @Order(1)
  void everyItemOkWithinTheCapAndTheLedgerMatchesTheBill() throws Exception {
    startSimulator();
    Path out = dir.resolve("out-plain");
    Process batch = batch(manifest(dir, ITEMS, null), out);
    assertEquals(0, finish(batch), log(out));
    JsonNode stats = stats();
    LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
    assertEquals(ITEMS, ledger.latest().values().stream().filter(LedgerRecord::isOk).count(), log(out));
    // Server-side slot use: slot time the admitted requests held / (first arrival to last reply x cap).
    double slotUse = stats.get("slotSecondsHeld").asDouble() / stats.get("occupancyWindowSeconds").asDouble() / CAP;
    System.out.printf("flink session: %d ok, max in flight %d of %d, 429s %d, simulator slot use %.2f "
        + "(%.1f slot-s over %.1f s), %d tokens billed; summary: %s%n", ITEMS, stats.get("maxInFlight").asInt(), CAP,
        stats.get("tooManyRequestsSent").asLong(), slotUse, stats.get("slotSecondsHeld").asDouble(),
        stats.get("occupancyWindowSeconds").asDouble(), stats.get("totalTokensBilled").asLong(),
        log(out).lines().filter(l -> l.startsWith("this run:")).findFirst().orElse("(none)"));
    assertEquals(ITEMS, stats.get("requests").asLong(), "each item sent once");
    // The two workers share the whole cap through the slot leases (not floor(5/2) = 4 each), never more.
    assertEquals(CAP, stats.get("maxInFlight").asInt(), "max in flight at the simulator");
    assertEquals(0, stats.get("tooManyRequestsSent").asLong(), "the simulator had to refuse over-cap requests");
    assertEquals(stats.get("totalTokensBilled").asLong(), BilledTwice.ledgerTokens(ledger), "ledger tokens vs billed tokens");
  }

  @Test
  @Order(2)
  void aBudgetHoldsForTheWholeClusterNotPerWorker() throws Exception {
    startSimulator();
    Path out = dir.resolve("out-budget");
    BigDecimal budget = new BigDecimal("0.5");
    Process batch = batch(manifest(dir, ITEMS, 100), out, "--maxCostRmb=" + budget);
    assertEquals(3, finish(batch), "stopped early (exit 3): " + log(out));
    LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
    BigDecimal spent = ledger.lines().stream().map(r -> r.usage().cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertEquals(stats().get("totalTokensBilled").asLong(), BilledTwice.ledgerTokens(ledger), "ledger tokens vs billed tokens");
    long skipped = ledger.latest().values().stream().filter(r -> "budget".equals(r.reason())).count();
    System.out.printf("budget %s on two workers: spent %s, %d items skipped for the budget%n", budget, spent, skipped);
    assertTrue(spent.compareTo(budget) <= 0, "spent " + spent + " of " + budget);
    assertTrue(skipped > 0, "the budget never stopped sending");
    // The budget is used, not given up at the first request that did not fit while others were in flight.
    assertTrue(spent.compareTo(new BigDecimal("0.3")) > 0, "spent only " + spent + " of " + budget);
  }

  @Test
  @Order(3)
  void aKilledTaskManagerWithoutRestartsFailsTheJobAndTheRerunFinishesIt() throws Exception {
    killedMidRun("out-norestart");
    // The failed job: the summary of what the ledger holds, then one error line, exit 4 (not a stack trace).
    assertEquals(4, firstExit, log(dir.resolve("out-norestart")));
    String both = Files.readString(logFile(dir.resolve("out-norestart"))); // the re-run ended 0 or 1
    assertTrue(both.contains("STOPPED EARLY: the job failed on the cluster")
        && both.contains("error: the FlinkRunner job failed on the cluster"), log(dir.resolve("out-norestart")));
  }

  /** Last: the cluster is started again with a fixed-delay restart strategy (10 attempts, 2 s apart). */
  @Test
  @Order(4)
  void aKilledTaskManagerUnderARestartStrategyIsRecoveredWithoutBlindResends() throws Exception {
    cluster.script("stop");
    cluster.script(Map.of("FLINK_RESTART_ATTEMPTS", "10"), "start");
    killedMidRun("out-restart");
  }

  /** SIGKILL TaskManager 1 once 60 requests were sent, start it again, run the same command until done. */
  private void killedMidRun(String name) throws Exception {
    startSimulator();
    Path out = dir.resolve(name);
    Path manifest = manifest(dir, ITEMS, null);
    Process first = batch(manifest, out);
    awaitRequests(simulator, first, 60, () -> log(out));
    cluster.script("kill-tm", "1");
    cluster.script("start-tm", "1");
    firstExit = finish(first);
    cluster.script("wait-tm", "2");
    Process second = batch(manifest, out);
    int secondExit = finish(second);
    LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));

    BilledTwice twice = BilledTwice.of(ledger, stats());
    Set<String> billedTwice = twice.billedTwice();
    Set<String> flagged = twice.flagged();
    long ok = ledger.latest().values().stream().filter(LedgerRecord::isOk).count();
    long uncertain = ledger.latest().values().stream().filter(r -> r.status() == LedgerStatus.UNCERTAIN).count();
    System.out.printf("%s: first run exit %d, re-run exit %d; %d ok, %d uncertain; billed twice %d %s, flagged %s%n",
        name, firstExit, secondExit, ok, uncertain, billedTwice.size(), billedTwice, flagged);
    assertEquals(ITEMS, ok + uncertain, "items lost: " + log(out));
    assertTrue(secondExit == 0 || secondExit == 1, "re-run exit " + secondExit + ": " + log(out));
    assertTrue(flagged.containsAll(billedTwice), "billed twice without an uncertain line: " + billedTwice);
    assertTrue(stats().get("maxInFlight").asInt() <= CAP, "max in flight " + stats().get("maxInFlight"));
  }

  private Process batch(Path manifest, Path out, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SimulatorProcess.java(), "-Xmx1g", "-jar",
        ClusterHarness.JAR.toString(), "--runner=FlinkRunner", "--flinkMaster=" + REST, "--parallelism=4",
        "--clusterWorkers=2", "--maxInFlight=" + CAP, "--manifest=" + manifest, "--outputDir=" + out,
        "--endpoint=" + simulator.endpoint()));
    cmd.addAll(List.of(extra));
    Files.createDirectories(out.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(out).toFile()));
    pb.environment().put("ZHIPUAI_API_KEY", KEY);
    return pb.start();
  }

  private void startSimulator() throws Exception {
    simulator = cluster.restartSimulator(dir, SIM_PORT, CAP, KEY);
  }

  private JsonNode stats() throws Exception {
    return simulator.stats();
  }

  private static Path logFile(Path out) {
    return out.resolveSibling(out.getFileName() + ".log");
  }

  private static String log(Path out) throws Exception {
    Path f = logFile(out);
    if (!Files.exists(f)) {
      return "(no log)";
    }
    return ClusterHarness.tail(Files.readString(f));
  }
}
