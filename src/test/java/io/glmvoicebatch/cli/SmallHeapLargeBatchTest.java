package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    Path clip = dir.resolve("speech-30s.wav");
    Files.write(clip, speechLikeWav());
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

  /** 30 s of a voiced, syllable-modulated tone, 16 kHz mono PCM: never trimmed as silence. */
  private static byte[] speechLikeWav() throws IOException {
    int frames = SECONDS * RATE;
    ByteBuffer pcm = ByteBuffer.allocate(frames * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int n = 0; n < frames; n++) {
      double t = (double) n / RATE;
      double voice = 0;
      for (int h = 1; h <= 6; h++) {
        voice += Math.sin(2 * Math.PI * 140 * h * t) / h;
      }
      double syllables = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      pcm.putShort((short) (voice * syllables * 6000));
    }
    ByteArrayOutputStream wav = new ByteArrayOutputStream();
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + frames * 2)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(RATE).putInt(RATE * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(frames * 2);
    wav.write(header.array());
    wav.write(pcm.array());
    return wav.toByteArray();
  }
}
