package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WavConcatenationTest {
  @Test
  void monoSixteenBitPartsComeBackSampleForSample() throws Exception {
    short[] a = {0, 1, -1, 32767, -32768, 1234};
    short[] b = {-5, 5, 20000, -20000};
    byte[] joined = WavFile.concatenateMono(List.of(WavFile.pcm16Mono(a, 22050), WavFile.pcm16Mono(b, 22050)));
    short[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertArrayEquals(WavFile.pcm16Mono(both, 22050), joined);
  }

  @Test
  void stereoIsAveragedAndRatesMustAgree() throws Exception {
    // Left 1000, right 3000 on every frame: the mean is 2000.
    byte[] pcm = new byte[8];
    for (int f = 0; f < 2; f++) {
      pcm[f * 4] = (byte) 1000;
      pcm[f * 4 + 1] = (byte) (1000 >> 8);
      pcm[f * 4 + 2] = (byte) 3000;
      pcm[f * 4 + 3] = (byte) (3000 >> 8);
    }
    DecodedAudio joined = WavFile.decode(WavFile.concatenateMono(List.of(WavFile.pcm16(pcm, 16000, 2))));
    assertEquals(1, joined.channels());
    assertEquals(2000 / 32768f, joined.channelsData()[0][1], 1e-6);
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavFile.concatenateMono(
        List.of(WavFile.pcm16Mono(new short[4], 16000), WavFile.pcm16Mono(new short[4], 44100))));
    assertTrue(e.getMessage().contains("part 1 is 44100 Hz, the first is 16000 Hz"), e.getMessage());
  }
}
