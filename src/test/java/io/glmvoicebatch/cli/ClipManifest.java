package io.glmvoicebatch.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/** A manifest of {@code items} items cycling through the sample clips, for batches run as child processes. */
final class ClipManifest {
  private ClipManifest() {}

  /** Items {@code clip-0..}; {@code prompt} gives item i's prompt. */
  static Path write(Path manifest, int items, IntFunction<String> prompt) throws IOException {
    File[] clips = Path.of("sample-data/clips").toFile().listFiles((d, n) -> n.endsWith(".wav"));
    Arrays.sort(clips);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      lines.add("{\"id\":\"clip-" + i + "\",\"audio\":\"" + clips[i % clips.length].getAbsolutePath()
          + "\",\"prompt\":\"" + prompt.apply(i) + "\"}");
    }
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }

  /** The CLI in a JVM of its own (this test's classpath), its output in {@code log}. */
  static Process startCli(String key, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.glmvoicebatch.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("ZHIPUAI_API_KEY", key);
    return pb.start();
  }
}
