package io.glmvoicebatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.ExitCode;
import io.glmvoicebatch.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --clusterWorkers=N} above the account's cap is a usage error. How N worker JVMs share the cap (the slot
 * leases in the output folder) is tested by {@code ClusterSlotsTest} (threads, a killed worker JVM, two clients on
 * the simulator) and {@link FlinkSessionClusterTest} (two TaskManager JVMs: max in flight equal to the cap).
 */
class ClusterWorkersShareTest {
  @TempDir Path dir;

  @Test
  void moreWorkersThanPermitsIsAUsageError() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExitCode code = Main.run(new String[] {"--manifest=" + manifest(0, 1), "--outputDir=" + dir.resolve("o"),
        "--tier=V0", "--clusterWorkers=6"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(ExitCode.USAGE, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--clusterWorkers=6"), err.toString(StandardCharsets.UTF_8));
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
