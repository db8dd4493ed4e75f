package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.testing.TestWavs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose prepared audio is several times the heap completes in a child JVM with a small heap:
 * audio is prepared just in time, so memory follows the cap, not the batch (240 clips of 30 s prepared are
 * about 230 MB; the child has 128 MB). Not timed.
 */
class SmallHeapLargeBatchTest {
  static final int ITEMS = 240;
  static final int SECONDS = 30;
  static final int RATE = 16000;
  @TempDir Path dir;

  @Test
  void batchLargerThanTheHeapCompletesUnderASmallHeap() throws Exception {
    Path clip = TestWavs.speechLike(dir.resolve("speech-30s.wav"), RATE, SECONDS, 1);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      lines.add("{\"id\":\"item-" + i + "\",\"audio\":\"" + clip + "\",\"prompt\":\"item " + i + "\"}");
    }
    Path manifest = dir.resolve("manifest.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    Path log = dir.resolve("child.log");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), "io.glmvoicebatch.cli.Main",
        "--manifest=" + manifest, "--outputDir=" + out, "--maxInFlight=4", "--simulatorLatencyMs=20",
        "--report=false", "--progressIntervalSeconds=5")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("ZHIPUAI_API_KEY"); // the embedded simulator answers
    int code = pb.start().waitFor();

    String output = Files.readString(log);
    assertEquals(0, code, output.length() > 4000 ? output.substring(output.length() - 4000) : output);
    assertTrue(output.contains("items: " + ITEMS + " ok, 0 failed"), output);
    try (var ledger = Files.lines(out.resolve("ledger.jsonl"))) {
      assertEquals(ITEMS, ledger.filter(l -> l.contains("\"status\":\"ok\"")).count());
    }
  }
}
