package io.glmvoicebatch.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.cli.ExitCode;
import io.glmvoicebatch.cli.Main;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.ObjectStoreFileSystem;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import io.glmvoicebatch.simulator.SimulatorStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample batch on FlinkRunner (embedded local cluster) and SparkRunner (local[4]) gives the same ledger
 * as on the Direct runner, and the account's in-flight cap holds. Runs only with {@code -Pcluster-tests},
 * which puts both runners on the test classpath; nothing here names a Flink or Spark class, so the default
 * build still compiles it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRunnersTest {
  static final String KEY = "clustertest01.c2VjcmV0c2VjcmV0";
  static final int CAP = 5;
  static final int COPIES = 5; // 8 sample clips (8 WAV encodings) x 5 = 40 items

  @TempDir static Path dir;
  private Path manifest;
  private Map<String, List<String>> directLedger;
  private Map<String, byte[]> directAudio;

  /** What one CLI run left behind. */
  record Run(ExitCode code, String output, SimulatorStats stats, Path outDir) {}

  @BeforeAll
  void directBaseline() throws Exception {
    // Spark's web UI is of no use in a test and costs a port and a few seconds.
    System.setProperty("spark.ui.enabled", "false");
    manifest = sampleManifestTimes(COPIES);
    Run direct = run("direct", "--runner=DirectRunner", "--targetParallelism=4");
    assertAllOk(direct);
    directLedger = comparableLedger(direct.outDir());
    directAudio = replyAudio(direct.outDir());
  }

  @Test
  void flinkLocalClusterMatchesDirect() throws Exception {
    Run flink = run("flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=4");
    assertAllOk(flink);
    assertSameAsDirect(flink);
  }

  @Test
  void sparkLocalMatchesDirect() throws Exception {
    Run spark = run("spark", "--runner=SparkRunner", "--sparkMaster=local[4]");
    assertAllOk(spark);
    assertSameAsDirect(spark);
  }

  /**
   * Four Flink workers writing to an object store (no append): each writes its own ledger part objects,
   * the batch folds them into one ledger object, and it reads the same as the Direct run's local file.
   * Beam's s3:// module is on this classpath too: its --endpoint property and ours must coexist.
   */
  @Test
  void flinkWorkersWriteLedgerPartsToAnObjectStoreFoldedIntoTheSameLedger() throws Exception {
    try (AutoCloseable store = ObjectStoreFileSystem.rootAt(dir.resolve("objstore"))) {
      String out = "objstore://bucket/flink-out";
      Run flink = runTo("flink-objstore", out, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=4",
          "--s3Endpoint=http://127.0.0.1:9", "--awsRegion=us-east-1");
      Path files = ObjectStoreFileSystem.fileOf(out + "/ledger.jsonl").getParent();
      assertTrue(!Files.exists(files.resolve("ledger.jsonl.parts"))
          || Files.list(files.resolve("ledger.jsonl.parts")).findAny().isEmpty(), "parts are folded at the end");
      assertAllOk(flink);
      assertSameAsDirect(flink);
    }
  }

  private Run run(String name, String... runnerArgs) throws Exception {
    return runTo(name, dir.resolve("out-" + name).toString(), runnerArgs);
  }

  private Run runTo(String name, String outputDir, String... runnerArgs) throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(CAP)
        .latency(LatencyModel.fixed(Duration.ofMillis(200))).build();
    // An object store's objects are files under the test double's root: read them from there.
    Path out = outputDir.startsWith(ObjectStoreFileSystem.SCHEME + ":")
        ? ObjectStoreFileSystem.fileOf(outputDir + "/ledger.jsonl").getParent() : Path.of(outputDir);
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      List<String> args = new ArrayList<>(List.of(
          "--manifest=" + manifest, "--outputDir=" + outputDir, "--endpoint=" + sim.baseUrl(), "--tier=V0"));
      args.addAll(List.of(runnerArgs));
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      long start = System.nanoTime();
      ExitCode code = Main.run(args.toArray(String[]::new), Map.of("ZHIPUAI_API_KEY", KEY),
          new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
      long ms = (System.nanoTime() - start) / 1_000_000;
      SimulatorStats stats = sim.stats();
      System.out.printf("%s: %d ms, exit %s, simulator max in flight %d, 429s %d, requests %d%n",
          name, ms, code, stats.maxInFlight(), stats.tooManyRequestsSent(), stats.requests());
      return new Run(code, o.toString(StandardCharsets.UTF_8) + "\n" + e.toString(StandardCharsets.UTF_8), stats, out);
    }
  }

  private void assertAllOk(Run run) throws Exception {
    assertEquals(ExitCode.ALL_DONE, run.code(), run.output());
    LedgerView ledger = LedgerView.read(run.outDir().resolve("ledger.jsonl"));
    assertEquals(8 * COPIES, ledger.latest().size(), run.output());
    assertEquals(8 * COPIES, ledger.latest().values().stream().filter(LedgerRecord::isOk).count(), run.output());
    assertTrue(run.stats().maxInFlight() <= CAP, "cap exceeded: " + run.stats().maxInFlight());
    assertEquals(0, run.stats().tooManyRequestsSent(), "the simulator refused requests over the cap");
    assertEquals(8 * COPIES, run.stats().requests(), "one request per item, no retries");
  }

  private void assertSameAsDirect(Run run) throws Exception {
    Map<String, List<String>> ledger = comparableLedger(run.outDir());
    assertEquals(directLedger.keySet(), ledger.keySet());
    for (String id : directLedger.keySet()) {
      assertEquals(directLedger.get(id), ledger.get(id), "ledger lines of " + id);
    }
    Map<String, byte[]> audio = replyAudio(run.outDir());
    assertEquals(directAudio.keySet(), audio.keySet());
    for (String name : directAudio.keySet()) {
      assertArrayEquals(directAudio.get(name), audio.get(name), "reply audio " + name);
    }
  }

  /**
   * Each id's ledger lines in file order (intent, then outcome), without the fields that depend on the
   * clock: started_at, finished_at, latency_ms. Everything else (status, tokens, cost, request ids,
   * response id, fingerprint, audio facts, output files) must be identical.
   */
  static Map<String, List<String>> comparableLedger(Path outDir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, List<String>> byId = new TreeMap<>();
    for (String line : Files.readAllLines(outDir.resolve("ledger.jsonl"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      ObjectNode node = (ObjectNode) json.readTree(line);
      node.remove(List.of("started_at", "finished_at", "latency_ms", "response_id"));
      byId.computeIfAbsent(node.get("id").asText(), k -> new ArrayList<>()).add(node.toString());
    }
    return byId;
  }

  static Map<String, byte[]> replyAudio(Path outDir) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (var list = Files.list(outDir.resolve("audio"))) {
      for (Path p : (Iterable<Path>) list::iterator) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  /** The sample manifest repeated {@code copies} times, ids suffixed, audio paths absolute. */
  private Path sampleManifestTimes(int copies) throws Exception {
    Path sample = Path.of("sample-data/manifest.jsonl").toAbsolutePath();
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < copies; k++) {
      for (String line : Files.readAllLines(sample, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        ObjectNode item = (ObjectNode) json.readTree(line);
        item.put("id", item.get("id").asText() + "-" + k);
        item.put("audio", sample.getParent().resolve(item.get("audio").asText()).toString());
        lines.add(item.toString());
      }
    }
    Path out = dir.resolve("manifest-" + lines.size() + ".jsonl");
    Files.write(out, lines, StandardCharsets.UTF_8);
    return out;
  }
}
