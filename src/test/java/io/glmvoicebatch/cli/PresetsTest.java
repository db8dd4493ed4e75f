package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every preset in pipelines/ expands to options the CLI accepts and runs a batch to the end. */
class PresetsTest {
  static final String KEY = "presetest.c2VjcmV0c2VjcmV0";
  @TempDir Path dir;

  /** The arguments {@code pipelines/run PRESET extra...} would pass, expanded by the launcher itself. */
  static List<String> expand(String preset, Map<String, String> env, String... extra) throws Exception {
    return launcherPrints("PRINT_ARGS", preset, env, extra);
  }

  /** The JVM options {@code pipelines/run PRESET} would start java with. */
  private static List<String> jvmOptions(String preset, Map<String, String> env) throws Exception {
    return launcherPrints("PRINT_JVM_ARGS", preset, env);
  }

  /** Runs the launcher with {@code printVariable} set: it prints what it would run, one item a line. */
  private static List<String> launcherPrints(String printVariable, String preset, Map<String, String> env,
      String... extra) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "pipelines/run", preset));
    command.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_OPTS"); // only what the test gives
    pb.environment().putAll(env);
    pb.environment().put(printVariable, "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    return output.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void bulkPresetsCommitTheirHeapUpFrontAndJavaOptsReplacesThat() throws Exception {
    List<String> touched = List.of("-Xms2g", "-XX:+AlwaysPreTouch");
    assertEquals(touched, presetPart(jvmOptions("nightly-lessons", Map.of())));
    assertEquals(touched, presetPart(jvmOptions("dataset-generation", Map.of())));
    // A person at a shell with a small manifest should not wait for a heap to be touched.
    assertEquals(List.of(), presetPart(jvmOptions("adhoc", Map.of())));
    assertEquals(List.of("-Xmx3g", "-Dglm.x=1"),
        presetPart(jvmOptions("nightly-lessons", Map.of("JAVA_OPTS", "-Xmx3g -Dglm.x=1"))));
    assertEquals(List.of(), presetPart(jvmOptions("dataset-generation", Map.of("JAVA_OPTS", ""))));
  }

  /** Whatever JAVA_OPTS says, every preset's JVM stops at its first OutOfMemoryError and reads files as UTF-8. */
  @Test
  void everyLaunchStopsAtTheFirstOutOfMemoryErrorAndIsUtf8() throws Exception {
    for (String preset : List.of("adhoc", "nightly-lessons", "dataset-generation")) {
      for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("JAVA_OPTS", ""))) {
        List<String> options = jvmOptions(preset, env);
        assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError") && options.contains("-Dfile.encoding=UTF-8"),
            preset + " " + env + ": " + options);
        assertTrue(options.stream().anyMatch(o -> o.startsWith("-XX:OnOutOfMemoryError=touch ")), options.toString());
      }
    }
  }

  @Test
  void theSystemdUnitCountsOnlyExitCode0AsSuccessAndSetsAUtf8Locale() throws Exception {
    String unit = Files.readString(Path.of("pipelines/nightly-lessons/glm-voice-nightly.service"));
    assertFalse(unit.lines().anyMatch(l -> l.startsWith("SuccessExitStatus")), unit);
    assertTrue(unit.lines().anyMatch(l -> l.equals("Environment=LC_ALL=C.UTF-8")), unit);
  }

  /** The options that come from the preset or JAVA_OPTS: before the launcher's fixed ones. */
  private static List<String> presetPart(List<String> options) {
    int fixed = options.indexOf("-Dfile.encoding=UTF-8");
    return fixed < 0 ? options : options.subList(0, fixed);
  }

  private static CliRun run(List<String> args) {
    return CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), args.toArray(String[]::new));
  }

  @Test
  void everyPresetRunsTheSampleToTheEnd() throws Exception {
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).maxInFlight(20)
        .latency(LatencyModel.fixed(Duration.ofMillis(20))).build())) {
      String endpoint = "--endpoint=" + sim.baseUrl();

      List<String> adhoc = expand("adhoc", Map.of("OUT", dir.resolve("adhoc").toString()), endpoint);
      assertTrue(adhoc.contains("--manifest=sample-data/manifest.jsonl"), adhoc.toString());
      assertEquals(ExitCode.ALL_DONE, run(adhoc).code);

      // Nightly: the day's folder of clips, one prompt, budget, plain logging.
      Path day = dir.resolve("lessons/2026-11-25");
      Files.createDirectories(day);
      for (File clip : Path.of("sample-data/clips").toFile().listFiles()) {
        Files.copy(clip.toPath(), day.resolve(clip.getName()));
      }
      Map<String, String> nightlyEnv = new HashMap<>();
      nightlyEnv.put("LESSON_ROOT", dir.resolve("lessons").toString());
      nightlyEnv.put("OUT_ROOT", dir.resolve("nightly").toString());
      nightlyEnv.put("DAY", "2026-11-25");
      List<String> nightly = expand("nightly-lessons", nightlyEnv, endpoint);
      assertTrue(nightly.contains("--audioDir=" + day), nightly.toString());
      assertTrue(nightly.contains("--maxCostRmb=50"), nightly.toString());
      CliRun night = run(nightly);
      assertEquals(ExitCode.ALL_DONE, night.code, night.all());
      assertTrue(night.stdout.contains("8 ok, 0 failed"), night.stdout);
      assertTrue(Files.exists(dir.resolve("nightly/2026-11-25/ledger.jsonl")));

      // Dataset generation: a dataset manifest with one line per ok pair, paths that exist.
      Path out = dir.resolve("ds");
      List<String> dataset = expand("dataset-generation",
          Map.of("MANIFEST", "sample-data/manifest.jsonl", "OUT", out.toString()), endpoint, "--tier=V0");
      assertTrue(dataset.contains("--tier=V0") && !dataset.contains("--tier=V3"), "later options replace the preset's");
      CliRun ds = run(dataset);
      assertEquals(ExitCode.ALL_DONE, ds.code, ds.all());
      List<String> lines = Files.readAllLines(out.resolve("metadata.jsonl"));
      assertEquals(8, lines.size());
      ObjectMapper json = new ObjectMapper();
      for (String line : lines) {
        JsonNode n = json.readTree(line);
        for (String field : List.of("file_name", "input_file_name")) {
          assertTrue(Files.exists(out.resolve(n.get(field).asText())), field + " missing: " + line);
        }
        assertTrue(!n.get("reply_text").asText().isBlank());
        assertTrue(n.get("request_id").asText().startsWith("gvb"));
        assertTrue(n.get("seconds_sent").asDouble() > 0 && n.get("reply_seconds").asDouble() > 0);
      }
    }
  }
}
