package io.glmvoicebatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the tests of a real cluster share: the cluster's script under {@code benchmarks/cluster} (start, kill
 * and stop its JVMs), the simulator process its batches call, a manifest of the sample clips, and waiting for
 * a batch process. As a test class's static {@code @RegisterExtension} it starts the cluster before the class's
 * tests and stops it, and the simulator, after them.
 */
final class ClusterHarness implements BeforeAllCallback, AfterAllCallback {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path JAR = ROOT.resolve("target/glm-voice-batch-cluster.jar");
  private static final String[] CLIPS =
      {"en-sky-blue.wav", "zh-photosynthesis.wav", "en-weather-climate.wav", "zh-triangle-angles.wav"};

  private final Path script;
  private final Map<String, String> env;
  private final List<Path> emptiedBeforeStart;
  private SimulatorProcess simulator;

  /**
   * {@code script}: a file of benchmarks/cluster; {@code env}: what it reads (its work folder);
   * {@code emptiedBeforeStart}: folders of the cluster's own logs a test reads, so they hold this class's runs only.
   */
  ClusterHarness(String script, Map<String, String> env, Path... emptiedBeforeStart) {
    this.script = ROOT.resolve("benchmarks/cluster").resolve(script);
    this.env = env;
    this.emptiedBeforeStart = List.of(emptiedBeforeStart);
  }

  /** Stops what an earlier run may have left, then starts the cluster. */
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: build it first with mvn -Pcluster package -DskipTests");
    script("stop");
    for (Path folder : emptiedBeforeStart) {
      deleteTree(folder);
    }
    script("start");
  }

  /** Stops the simulator, then every JVM of the cluster. */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stopSimulator();
    script("stop");
  }

  /** The port base a script reads from {@code variable}, so a test and its script agree on every port. */
  static int portBase(String variable, int byDefault) {
    return Integer.parseInt(System.getenv().getOrDefault(variable, String.valueOf(byDefault)));
  }

  void script(String... args) throws Exception {
    script(Map.of(), args);
  }

  /** Runs the script with {@code args} and {@code extraEnv}; fails on a non-zero exit or after 5 minutes. */
  void script(Map<String, String> extraEnv, String... args) throws Exception {
    ProcessBuilder pb = command(args).redirectErrorStream(true);
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String what = script.getFileName() + " " + String.join(" ", args);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), what + " hung");
    assertEquals(0, p.exitValue(), what + ": " + output);
  }

  /** The script with {@code args}, its environment set, to start. */
  ProcessBuilder command(String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return pb;
  }

  /** A fresh simulator (the last one stopped), so its counts are those of the next run only. */
  SimulatorProcess restartSimulator(Path dir, int port, int cap, String key) throws Exception {
    stopSimulator();
    simulator = SimulatorProcess.start(JAR, dir, port, cap, 300, key);
    return simulator;
  }

  private void stopSimulator() throws Exception {
    if (simulator != null) {
      simulator.close();
      simulator = null;
    }
  }

  /** Waits until the simulator has seen {@code requests} requests, failing if the batch ends first. */
  static void awaitRequests(SimulatorProcess simulator, Process batch, long requests, Callable<String> log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (simulator.stats().get("requests").asLong() < requests) {
      assertTrue(batch.isAlive(), "the batch ended before " + requests + " requests: " + log.call());
      assertTrue(System.nanoTime() < deadline, requests + " requests not reached in 3 minutes");
      Thread.sleep(100);
    }
  }

  /** The batch's exit code; fails (and kills it) if it runs over 5 minutes. */
  static int finish(Process batch) throws Exception {
    if (!batch.waitFor(5, TimeUnit.MINUTES)) {
      batch.destroyForcibly();
      throw new AssertionError("the batch did not finish within 5 minutes");
    }
    return batch.exitValue();
  }

  /** {@code n} items over the sample clips (absolute paths), with {@code max_tokens} unless null. */
  static Path manifest(Path dir, int n, Integer maxTokens) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String clip = ROOT.resolve("sample-data/clips").resolve(CLIPS[i % CLIPS.length]).toString()
          .replace(File.separator, "/");
      lines.add("{\"id\":\"item-" + i + "\",\"audio\":\"" + clip + "\",\"prompt\":\"Answer briefly.\""
          + (maxTokens == null ? "" : ",\"max_tokens\":" + maxTokens) + "}");
    }
    Path manifest = dir.resolve("manifest-" + n + "-" + maxTokens + ".jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }

  private static void deleteTree(Path root) throws Exception {
    if (Files.exists(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** The last 4,000 characters of a log, for an assertion's message. */
  static String tail(String log) {
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }
}
