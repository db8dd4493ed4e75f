package io.glmvoicebatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The CLI (or a launcher script) in a process of its own, for what only a process shows: its exit code,
 * its environment (an empty one, as under cron), its heap, signals. Output goes to files in {@code dir}.
 */
final class ChildProcess {
  final Process process;
  final Path stdout;
  final Path stderr;

  private ChildProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java jvmOptions -cp <the tests' classpath> io.glmvoicebatch.cli.Main args}. */
  static List<String> cli(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.glmvoicebatch.cli.Main"));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Starts {@code command}. {@code env} null inherits this JVM's environment; otherwise the child gets exactly
   * {@code env} (empty = {@code env -i}).
   */
  static ChildProcess start(List<String> command, Map<String, String> env, Path dir, String name) throws IOException {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
            Path.of("/dev/null").toFile()));
    if (env != null) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    return new ChildProcess(pb.start(), out, err);
  }

  /** Waits for the exit, at most {@code seconds}; kills the process and returns -1 if it is still alive. */
  int exitWithin(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  String out() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  String err() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  String all() throws IOException {
    return "--- stdout\n" + out() + "\n--- stderr\n" + err();
  }

  /**
   * A jar holding nothing but a manifest whose Class-Path is the tests' classpath and whose Main-Class is
   * the CLI: {@code java -jar} on it runs this build as the fat jar would (for the launcher scripts).
   */
  static Path pathingJar(Path dir) throws IOException {
    StringBuilder classPath = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      classPath.append(p.toUri()).append(' '); // directories' URIs end with '/', as Class-Path needs
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.glmvoicebatch.cli.Main");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
    Path jar = dir.resolve("glm-voice-batch-test.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      // the manifest is the whole jar
    }
    return jar;
  }

  /** The few variables a cron job has: no locale. */
  static Map<String, String> cronEnvironment() {
    return new java.util.HashMap<>(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", System.getProperty("user.home")));
  }
}
