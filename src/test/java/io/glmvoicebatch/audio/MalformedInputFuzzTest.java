package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.WavBuilder.Encoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Corrupted headers and sizes must end in a decoded result or an AudioFormatException with a
 * message — never another exception, a hang, or a huge allocation.
 */
class MalformedInputFuzzTest {
  private static List<byte[]> seeds() {
    float[] s = Signals.sine(440, 0.5, 8000, 0.05);
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(WavBuilder.of(Encoding.S16, 8000, s, s).chunkBeforeData("LIST", new byte[9]).build());
    seeds.add(WavBuilder.of(Encoding.S24, 8000, s).extensible(20).build());
    seeds.add(WavBuilder.of(Encoding.F32, 8000, s).container("RF64").build());
    seeds.add(WavBuilder.of(Encoding.MULAW, 8000, s).fmtSize(18).chunkAfterData("JUNK", new byte[3]).build());
    return seeds;
  }

  @Test
  void randomCorruptionsNeverEscapeAsOtherExceptions() {
    AudioPreparer preparer = new AudioPreparer(NormalizerSettings.defaults());
    Random random = new Random(20240601);
    List<byte[]> seeds = seeds();
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      int refused = 0;
      for (int i = 0; i < 3000; i++) {
        byte[] wav = seeds.get(i % seeds.size()).clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
          int kind = random.nextInt(4);
          int pos = random.nextInt(Math.min(wav.length, 80)); // mostly headers
          if (kind == 0) {
            wav[pos] = (byte) random.nextInt(256);
          } else if (kind == 1 && pos + 4 <= wav.length) {
            int v = random.nextBoolean() ? -1 : random.nextInt();
            WavBuilder.put32(wav, pos, v & 0xFFFFFFFFL);
          } else if (kind == 2) {
            wav = java.util.Arrays.copyOf(wav, Math.max(0, wav.length - 1 - random.nextInt(wav.length)));
            if (wav.length == 0) {
              break;
            }
          } else {
            wav[pos] = 0;
          }
        }
        try {
          PreparedAudio p = preparer.prepare(wav);
          assertTrue(p.wavBytes().length >= 44);
          WavFile.decode(wav);
        } catch (AudioFormatException expected) {
          refused++;
          assertFalse(expected.getMessage() == null || expected.getMessage().isBlank());
        }
      }
      assertTrue(refused > 100, "the corruptions should trip the checks sometimes: " + refused);
    });
  }
}
