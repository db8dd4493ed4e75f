package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.audio.WavBuilder.Encoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NaN and ±Inf in float WAV files are repaired or refused, never sent as sound. */
class NonFiniteSamplesTest {
  static final AudioPreparer DEFAULT = new AudioPreparer(NormalizerSettings.defaults());
  @TempDir Path dir;

  private PreparedAudio prepareFile(String name, byte[] wav) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, wav);
    return DEFAULT.prepare(f);
  }

  @Test
  void aFileOfInfinitiesOrNaNsIsRefusedAsCorrupt() throws Exception {
    float[] inf = new float[48000];
    for (int i = 0; i < inf.length; i++) {
      inf[i] = i % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
    }
    AudioFormatException e = assertThrows(AudioFormatException.class,
        () -> prepareFile("inf.wav", WavBuilder.of(Encoding.F32, 48000, inf).build()));
    assertEquals("48000 of 48000 float samples are not numbers (0 NaN, 48000 ±Inf): the file is corrupt, not sent",
        e.getMessage());
    float[] nan = new float[16000];
    Arrays.fill(nan, Float.NaN);
    e = assertThrows(AudioFormatException.class,
        () -> prepareFile("nan.wav", WavBuilder.of(Encoding.F64, 16000, nan, nan).build()));
    assertTrue(e.getMessage().startsWith("32000 of 32000 float samples are not numbers (32000 NaN, 0 ±Inf)"), e.getMessage());
  }

  @Test
  void speechWithOneInfiniteSampleIsRepairedAndGetsItsNormalGain() throws Exception {
    EspeakSpeech.assumeInstalled();
    float[] speech = Signals.scale(EspeakSpeech.say("en", "Why is the sky blue in the daytime?"), 0.1);
    PreparedAudio clean = prepareFile("clean.wav", WavBuilder.of(Encoding.F32, EspeakSpeech.RATE, speech).build());
    float[] glitch = speech.clone();
    glitch[glitch.length / 2] = Float.POSITIVE_INFINITY;
    PreparedAudio repaired = prepareFile("glitch.wav", WavBuilder.of(Encoding.F32, EspeakSpeech.RATE, glitch).build());
    assertFalse(repaired.silent());
    assertEquals(clean.gainDb(), repaired.gainDb(), 0.05, "gain from the finite samples only");
    assertTrue(repaired.gainDb() > 10, "a normal boost for speech at -20 dBFS: " + repaired.gainDb());
    assertEquals(List.of("1 of " + speech.length + " float samples are not numbers (0 NaN, 1 ±Inf): set to 0 (silence) "
        + "before sending"), repaired.warnings());
    float[] sent = WavFile.decode(repaired.wavBytes()).channelsData()[0];
    long zeros = 0;
    for (float v : sent) {
      zeros += v == 0f ? 1 : 0;
    }
    assertTrue(zeros < sent.length / 4, zeros + " of " + sent.length + " samples sent are zero");
  }
}
