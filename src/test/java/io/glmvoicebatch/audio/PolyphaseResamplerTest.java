package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolyphaseResamplerTest {
  private static final int OUT = 16000;
  private static final int FFT = 16384;

  /** Largest spectral line in the output below Nyquist, in dB relative to the input amplitude. */
  private static double worstLineDb(float[] y, double inputAmplitude, double excludeHz) {
    int from = (y.length - FFT) / 2;
    double[] mag = FftAnalyzer.amplitudes(y, from, FFT);
    double worst = 0;
    for (int k = 1; k < mag.length - 1; k++) {
      double hz = k * (double) OUT / FFT;
      if (excludeHz > 0 && Math.abs(hz - excludeHz) < 50) {
        continue;
      }
      worst = Math.max(worst, mag[k]);
    }
    return 20 * Math.log10(worst / inputAmplitude);
  }

  /**
   * Runs {@code x} through {@code r} in blocks of {@code sizes} (cycled), as a stream arrives; returns all it
   * wrote, which must be as many samples as it says the input makes.
   */
  private static float[] inBlocks(Resampler r, float[] x, int... sizes) {
    float[] out = new float[(int) r.outputLength(x.length)];
    int[] pos = {0};
    FloatSink sink = (b, o, n) -> {
      System.arraycopy(b, o, out, pos[0], n);
      pos[0] += n;
    };
    for (int i = 0, at = 0; at < x.length; i++) {
      int n = Math.min(sizes[i % sizes.length], x.length - at);
      r.process(x, at, n, sink);
      at += n;
    }
    r.finish(sink);
    assertEquals(out.length, pos[0], "samples written");
    return out;
  }

  /** The converter production uses for the rate (FFT decimation for integer factors). */
  private static float[] resample(float[] x, int inRate) {
    return Resampler.resampleWhole(Resampler.create(inRate, OUT), x);
  }

  @ParameterizedTest
  @ValueSource(ints = {32000, 48000, 64000, 96000, 192000})
  void fftDecimationEqualsDirectPolyphaseFiltering(int inRate) {
    float[] x = Signals.speechLike(inRate, 1.3, 5);
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] += (float) (0.05 * r.nextGaussian());
    }
    float[] direct = PolyphaseResampler.resample(x, inRate, OUT);
    float[] viaFft = inBlocks(new FftDecimator(inRate, OUT), x, 5, 1, 8192, 777, 3, 30000);
    assertEquals(direct.length, viaFft.length);
    double worst = 0;
    for (int j = 0; j < direct.length; j++) {
      worst = Math.max(worst, Math.abs(direct[j] - viaFft[j]));
    }
    assertTrue(worst < 2e-6, inRate + " Hz: max difference " + worst);
  }

  @ParameterizedTest
  @ValueSource(ints = {22050, 44100, 88200, 20500})
  void twoStageMatchesDirectPolyphaseInThePassBand(int inRate) {
    // Tones below 7 kHz: both filters are flat there, so the outputs agree closely.
    float[] x = new float[(int) (inRate * 1.7)];
    for (double f : new double[] {150, 997, 3100, 6900}) {
      float[] s = Signals.sine(f, 0.2, inRate, x.length, f / 1000);
      for (int i = 0; i < x.length; i++) {
        x[i] += s[i];
      }
    }
    float[] direct = PolyphaseResampler.resample(x, inRate, OUT);
    TwoStageResampler twoStage = new TwoStageResampler(inRate, OUT);
    float[] staged = inBlocks(twoStage, x, 3, 8192, 1, 5000, 77777);
    assertEquals(direct.length, staged.length);
    double worst = 0;
    // Away from the ends, where the tones switch on and off and the filters differ.
    for (int j = 800; j < direct.length - 800; j++) {
      worst = Math.max(worst, Math.abs(direct[j] - staged[j]));
    }
    assertTrue(worst < 2e-5, inRate + " Hz: max difference " + worst);
    assertTrue(twoStage.secondStageTaps() <= 40, "second stage taps " + twoStage.secondStageTaps());
  }

  @Test
  void directPolyphaseRejects12kHzAt48kHzToo() {
    float[] y = PolyphaseResampler.resample(Signals.sine(12000, 0.5, 48000, 3.0), 48000, OUT);
    assertTrue(worstLineDb(y, 0.5, 0) <= -100);
  }

  @ParameterizedTest
  @ValueSource(ints = {48000, 44100})
  void twelveKilohertzToneIsRejectedByAtLeast100Db(int inRate) {
    float[] x = Signals.sine(12000, 0.5, inRate, 3.0);
    float[] y = resample(x, inRate);
    double db = worstLineDb(y, 0.5, 0);
    assertTrue(db <= -100, "alias at " + db + " dB");
  }

  @ParameterizedTest
  @ValueSource(ints = {22050, 32000, 44100, 48000, 96000, 192000})
  void sweepAboveNyquistIsRejected(int inRate) {
    // Several tones across the stop band at once; none may come back above -100 dB.
    float[] x = new float[inRate * 3];
    double[] tones = {8000, 8500, 9000, 10000, 15000, inRate / 2.0 - 500};
    for (double f : tones) {
      if (f >= 8000 && f < inRate / 2.0) {
        float[] s = Signals.sine(f, 0.1, inRate, x.length, 0.3);
        for (int i = 0; i < x.length; i++) {
          x[i] += s[i];
        }
      }
    }
    float[] y = resample(x, inRate);
    double db = worstLineDb(y, 0.1, 0);
    assertTrue(db <= -100, inRate + " Hz: stop-band leak at " + db + " dB");
  }

  @ParameterizedTest
  @ValueSource(ints = {22050, 32000, 44100, 48000, 96000, 192000, 24000})
  void passbandLossAt7kHzIsUnderATenthOfADb(int inRate) {
    float[] x = Signals.sine(7000, 0.5, inRate, 1.0);
    float[] y = resample(x, inRate);
    double a = Signals.amplitudeAt(y, 2000, y.length - 2000, 7000, OUT);
    double lossDb = 20 * Math.log10(a / 0.5);
    assertTrue(Math.abs(lossDb) <= 0.1, inRate + " Hz: 7 kHz changed by " + lossDb + " dB");
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 11025, 12000})
  void upsamplingKeepsPassbandAndRejectsImages(int inRate) {
    double tone = 3000;
    float[] x = Signals.sine(tone, 0.5, inRate, 3.0);
    float[] y = resample(x, inRate);
    double a = Signals.amplitudeAt(y, 2000, y.length - 2000, tone, OUT);
    assertEquals(0.5, a, 0.5 * 0.0116, "3 kHz amplitude"); // within 0.1 dB
    double db = worstLineDb(y, 0.5, tone);
    assertTrue(db <= -100, inRate + " Hz: image at " + db + " dB");
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 11025, 22050, 44100, 48000, 96000, 192000, 16001})
  void outputIsTimeAlignedWithInput(int inRate) {
    // A 440 Hz sine must come out as the same sine sampled at the output instants.
    float[] x = Signals.sine(440, 0.5, inRate, 1.0);
    float[] y = resample(x, inRate);
    assertEquals(new PolyphaseResampler(inRate, OUT).ratio().outputLength(x.length), y.length);
    double ratio = (double) new PolyphaseResampler(inRate, OUT).ratio().down()
        / new PolyphaseResampler(inRate, OUT).ratio().up();
    double maxError = 0;
    for (int j = 1000; j < y.length - 1000; j++) {
      double expected = 0.5 * Math.sin(2 * Math.PI * 440 * j * ratio / inRate);
      maxError = Math.max(maxError, Math.abs(y[j] - expected));
    }
    assertTrue(maxError < 1e-4, inRate + " Hz: max error " + maxError);
  }

  @Test
  void lengthIsCeilingOfScaledInputAndConstantStaysConstant() {
    float[] x = new float[44101];
    java.util.Arrays.fill(x, 0.25f);
    float[] y = PolyphaseResampler.resample(x, 44100, OUT);
    assertEquals(16001, y.length); // ceil(44101 * 160 / 441)
    for (int j = 500; j < y.length - 500; j++) {
      assertEquals(0.25, y[j], 1e-5);
    }
  }

  @Test
  void streamingInOddBlocksEqualsOneShot() {
    float[] x = Signals.speechLike(44100, 2.0, 7);
    float[] whole = PolyphaseResampler.resample(x, 44100, OUT);
    float[] out = inBlocks(new PolyphaseResampler(44100, OUT), x, 1, 7, 1000, 4410, 33333, 3);
    assertEquals(whole.length, out.length);
    for (int j = 0; j < whole.length; j++) {
      assertEquals(whole[j], out[j], 0f);
    }
  }

  @Test
  void oddRatesUseABoundedApproximateRatio() {
    RateRatio r = RateRatio.of(44101, OUT);
    assertFalse(r.exact());
    assertTrue(r.up() <= RateRatio.MAX_UP);
    assertTrue(Math.abs(r.durationError(44101, OUT)) < 1e-5);
    assertTrue(RateRatio.of(44100, OUT).exact());
    assertEquals(160, RateRatio.of(44100, OUT).up());
    assertEquals(441, RateRatio.of(44100, OUT).down());
  }
}
