package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An --outputDir that cannot take the batch's files is one usage line and exit 2, before anything is sent. */
class OutputDirChecksTest {
  static final Path SAMPLE = Path.of("sample-data/manifest.jsonl");
  @TempDir Path dir;

  @Test
  void anOutputDirThatIsAFileOrBelowOneOrNotWritableIsAOneLineUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("out"), "not a folder");
    Map<String, String> cases = Map.of(
        file.toString(), "is a file, not a folder",
        file + "/sub", "is a file, not a folder",
        "/sys/glm-voice-batch-test-out", "is not writable");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      CliRun run = CliRun.of(Map.of(), "--manifest=" + SAMPLE, "--outputDir=" + c.getKey());
      assertEquals(ExitCode.USAGE, run.code, c.getKey() + "\n" + run.all());
      assertEquals(1, run.stderr.lines().count(), run.stderr);
      assertTrue(run.stderr.startsWith("error: --outputDir=" + c.getKey() + " "), run.stderr);
      assertTrue(run.stderr.contains(c.getValue()), run.stderr);
    }
  }

  @Test
  void aReadOnlyOutputDirIsAOneLineUsageError() throws Exception {
    Path ro = dir.resolve("ro");
    Files.createDirectories(ro);
    // Root ignores permission bits, so the folder is a read-only mount; that needs root and mount.
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro.toString())
        .redirectErrorStream(true).start();
    boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    Assumptions.assumeTrue(mounted, "skipped: cannot mount a read-only tmpfs here (needs root): "
        + new String(mount.getInputStream().readAllBytes()));
    try {
      CliRun run = CliRun.of(Map.of(), "--manifest=" + SAMPLE, "--outputDir=" + ro);
      assertEquals(ExitCode.USAGE, run.code, run.all());
      assertTrue(run.stderr.startsWith("error: --outputDir=" + ro + " is not writable (Read-only file system)\n"),
          run.stderr);
    } finally {
      new ProcessBuilder("umount", ro.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
