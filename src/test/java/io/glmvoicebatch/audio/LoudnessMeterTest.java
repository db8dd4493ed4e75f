package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoudnessMeterTest {
  private static double lufs(float[] x, int rate) {
    return LoudnessMeter.integratedLufs(x, 0, x.length, rate);
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 16000, 44100, 48000, 96000})
  void sineAt997HzMinus20DbfsPeakReadsMinus23Lufs(int rate) {
    // BS.1770 sums channel powers: a mono sine of peak -20 dBFS has power -23.01 dB and
    // K-weighting is ~0 dB at 1 kHz (its +0.69 dB cancels the -0.691 offset).
    assertEquals(-23.0, lufs(Signals.sine(997, 0.1, rate, 10.0), rate), 0.1);
  }

  @Test
  void kWeightingAt48kHzMatchesThePublishedCoefficients() {
    KWeightingFilter k = new KWeightingFilter(48000);
    assertEquals(1.53512485958697, k.shelf().b0, 1e-8);
    assertEquals(-2.69169618940638, k.shelf().b1, 1e-8);
    assertEquals(1.19839281085285, k.shelf().b2, 1e-8);
    assertEquals(-1.69065929318241, k.shelf().a1, 1e-8);
    assertEquals(0.73248077421585, k.shelf().a2, 1e-8);
    assertEquals(-1.99004745483398, k.highPass().a1, 1e-8);
    assertEquals(0.99007225036621, k.highPass().a2, 1e-8);
  }

  @Test
  void absoluteGateIgnoresSilence() {
    int rate = 16000;
    float[] x = Signals.concat(Signals.sine(997, 0.1, rate, 10.0), Signals.silence(rate, 10.0));
    assertEquals(-23.0, lufs(x, rate), 0.1);
  }

  @Test
  void relativeGateIgnoresPassagesTwentyLuQuieter() {
    int rate = 16000;
    float[] x = Signals.concat(Signals.sine(997, 0.1, rate, 10.0), Signals.sine(997, 0.01, rate, 10.0));
    assertEquals(-23.0, lufs(x, rate), 0.1);
  }

  @Test
  void relativeGateKeepsPassagesFiveLuQuieter() {
    // EBU Tech 3341 case 3 style: -36/-23/-36 dB at 10 s / 60 s / 10 s would read -23; here
    // the quieter part is only 5 LU down and must count: mean power of -23 and -28 is -24.8.
    int rate = 16000;
    float[] x = Signals.concat(
        Signals.sine(997, 0.1, rate, 10.0), Signals.sine(997, 0.1 * Math.pow(10, -5 / 20.0), rate, 10.0));
    assertEquals(-24.8, lufs(x, rate), 0.15);
  }

  @Test
  void silenceHasNoLoudness() {
    assertEquals(Double.NEGATIVE_INFINITY, lufs(new float[48000], 16000));
    assertEquals(Double.NEGATIVE_INFINITY, lufs(Signals.sine(997, 1e-5, 16000, 2.0), 16000));
  }

  @Test
  void clipsShorterThanOneBlockAreMeasuredWhole() {
    assertEquals(-23.0, lufs(Signals.sine(997, 0.1, 16000, 0.3), 16000), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 48000})
  void agreesWithFfmpegEbur128(int rate, @TempDir Path dir) throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean haveFfmpeg = Files.isExecutable(FfmpegLoudness.FFMPEG);
    if (!haveFfmpeg && ci) {
      fail("ffmpeg is required in CI to cross-check loudness (/usr/bin/ffmpeg missing)");
    }
    assumeTrue(haveFfmpeg, "ffmpeg not installed");
    float[] speech = Signals.speechLike(rate, 20.0, 42);
    byte[] wav = WavBuilder.of(WavBuilder.Encoding.F32, rate, speech).build();
    Path file = dir.resolve("speech.wav");
    Files.write(file, wav);
    double ours = lufs(WavFile.decode(wav).channelsData()[0], rate);
    double theirs = FfmpegLoudness.integratedLufs(file);
    assertTrue(Math.abs(ours - theirs) <= 0.2, "ours " + ours + " LUFS, ffmpeg " + theirs + " LUFS");
  }
}
