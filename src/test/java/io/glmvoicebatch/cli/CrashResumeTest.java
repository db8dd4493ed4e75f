package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.ObjectStoreFileSystem;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 mid-batch, three times, then the same command again: every item ends ok exactly once, and the
 * service billed nothing twice except for items the ledger itself names as possibly billed. Run against a
 * local output folder (one fsynced ledger file) and an object store (ledger part objects, no append).
 */
class CrashResumeTest {
  static final String KEY = "crashtest.c2VjcmV0c2VjcmV0";
  static final int ITEMS = 200;
  @TempDir Path dir;

  enum Output { LOCAL_FOLDER, OBJECT_STORE }

  @ParameterizedTest
  @EnumSource(Output.class)
  void killedThreeTimesThenResumedEveryItemOkOnceAndNothingPaidTwiceUnnamed(Output output) throws Exception {
    Path manifest = manifest();
    Path store = dir.resolve("objstore");
    try (AutoCloseable storeRoot = ObjectStoreFileSystem.rootAt(store)) {
      String out = output == Output.LOCAL_FOLDER ? dir.resolve("out").toString() : "objstore://bucket/nightly/out";
      Path ledgerFiles = output == Output.LOCAL_FOLDER ? dir.resolve("out") : store.resolve("bucket/nightly/out");
      LedgerLocation ledger = output == Output.LOCAL_FOLDER ? LedgerLocation.file(dir.resolve("out/ledger.jsonl"))
          : LedgerLocation.object(out + "/ledger.jsonl");
      crashThreeTimesThenResume(manifest, out, ledgerFiles, ledger, store);
      if (output == Output.OBJECT_STORE) {
        assertEquals(List.of(), partFiles(ledgerFiles), "the last run folds every ledger part into ledger.jsonl");
      }
    }
  }

  private void crashThreeTimesThenResume(Path manifest, String out, Path ledgerFiles, LedgerLocation ledger,
      Path store) throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(5).seed(7)
        .latency(LatencyModel.normal(Duration.ofMillis(60), Duration.ofMillis(20)))
        .faults(FaultPlan.transientFaults(0.15))
        .build();
    Random random = new Random(20261126);
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      List<String> command = command(manifest, out, sim.baseUrl(), store);
      for (int kill = 0; kill < 3; kill++) {
        long okBefore = okLines(ledgerFiles);
        long killAt = okBefore + 10 + random.nextInt(40);
        Process p = start(command, dir.resolve("run-" + kill + ".log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && okLines(ledgerFiles) < killAt && System.nanoTime() < deadline) {
          Thread.sleep(random.nextInt(30));
        }
        assertTrue(p.isAlive(), "run " + kill + " ended before it could be killed: " + log(dir.resolve("run-" + kill + ".log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
        p.waitFor(30, TimeUnit.SECONDS);
      }
      // A reply dropped mid-body leaves its item uncertain (maybe billed, not retried within the run); the
      // next run re-sends it (--resendUncertain), as a user would. Each run re-sends fewer.
      Process last;
      String finalLog;
      int resumes = 0;
      do {
        Path logFile = dir.resolve("final-" + resumes + ".log");
        last = start(command, logFile);
        assertTrue(last.waitFor(300, TimeUnit.SECONDS), "final run did not finish");
        finalLog = log(logFile);
      } while (last.exitValue() == 1 && finalLog.contains(" 0 failed, 0 skipped,") && ++resumes < 5);
      assertEquals(0, last.exitValue(), finalLog);

      LedgerView view = ledger.read();
      assertTrue(view.unreadableLines().isEmpty(), view.unreadableLines().toString());
      Map<String, Integer> okCount = new TreeMap<>();
      Map<String, String> itemOfBase = new HashMap<>();
      Set<String> namedUncertain = new HashSet<>();
      for (LedgerRecord r : view.lines()) {
        if (r.isOk()) {
          okCount.merge(r.id(), 1, Integer::sum);
        }
        if (r.status() == LedgerStatus.UNCERTAIN) {
          namedUncertain.add(r.id());
        }
        if (r.call().requestId() != null) {
          itemOfBase.put(base(r.call().requestId()), r.id());
        }
      }
      assertEquals(ITEMS, view.latest().size());
      for (LedgerRecord r : view.latest().values()) {
        assertEquals(LedgerStatus.OK, r.status(), r.toString());
      }
      for (Map.Entry<String, Integer> e : okCount.entrySet()) {
        assertEquals(1, e.getValue(), "item " + e.getKey() + " ended ok more than once: paid twice");
      }

      // Billing: what the service charged per item, against the tokens the ledger's ok line records.
      Map<String, Long> billedPerItem = new HashMap<>();
      for (Map.Entry<String, Long> e : sim.stats().billedTokensByRequestId().entrySet()) {
        String item = itemOfBase.get(base(e.getKey()));
        assertTrue(item != null, "the service billed request " + e.getKey() + " that no ledger line names");
        billedPerItem.merge(item, e.getValue(), Long::sum);
      }
      long okTokens = 0;
      long extra = 0;
      List<String> extraItems = new ArrayList<>();
      for (LedgerRecord r : view.latest().values()) {
        okTokens += r.usage().totalTokens();
        long billed = billedPerItem.getOrDefault(r.id(), 0L);
        assertTrue(billed >= r.usage().totalTokens(), r.id() + ": ledger says " + r.usage().totalTokens() + ", billed " + billed);
        if (billed > r.usage().totalTokens()) {
          // Billed more than once: allowed only where the ledger says so, with an uncertain line (a run
          // died with it in flight, or its billed reply was lost or unusable).
          assertTrue(namedUncertain.contains(r.id()),
              r.id() + " was billed " + billed + " but the ledger records " + r.usage().totalTokens() + " and names no doubt");
          extra += billed - r.usage().totalTokens();
          extraItems.add(r.id());
        }
      }
      assertEquals(sim.stats().totalTokensBilled(), okTokens + extra);
      assertTrue(finalLog.contains(ITEMS + " ok, 0 failed"), finalLog);
      System.out.printf("crash test: billed %d tokens, ledger ok %d, extra %d over items %s; uncertain named %s%n",
          sim.stats().totalTokensBilled(), okTokens, extra, extraItems, namedUncertain);
    }
  }

  private static String base(String requestId) {
    int r = requestId.indexOf("-r");
    return r < 0 ? requestId : requestId.substring(0, r);
  }

  private Path manifest() throws IOException {
    return ClipManifest.write(dir.resolve("manifest.jsonl"), ITEMS, i -> "Answer item " + i + " briefly.");
  }

  private static List<String> command(Path manifest, String out, String endpoint, Path store) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx512m", "-D" + ObjectStoreFileSystem.ROOT_PROPERTY + "=" + store,
        "-cp", System.getProperty("java.class.path"), "io.glmvoicebatch.cli.Main",
        "--manifest=" + manifest, "--outputDir=" + out, "--endpoint=" + endpoint, "--report=false",
        "--progressIntervalSeconds=2");
  }

  private static Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("ZHIPUAI_API_KEY", KEY);
    return pb.start();
  }

  /** Ok lines in the ledger file and its part files (if any), as the files are right now. */
  private static long okLines(Path folder) throws IOException {
    List<Path> files = new ArrayList<>(partFiles(folder));
    files.add(folder.resolve("ledger.jsonl"));
    long ok = 0;
    for (Path file : files) {
      try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
        ok += lines.filter(l -> l.contains("\"status\":\"ok\"")).count();
      } catch (java.nio.file.NoSuchFileException gone) {
        // not written yet, or folded and deleted in between
      }
    }
    return ok;
  }

  private static List<Path> partFiles(Path folder) throws IOException {
    Path parts = folder.resolve("ledger.jsonl.parts");
    if (!Files.isDirectory(parts)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(parts)) {
      return list.sorted().toList();
    }
  }

  private static String log(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }
}
