package io.glmvoicebatch.testing;

import java.util.Random;

/**
 * Streams deterministic speech-like audio block by block: a pulse train with f0 gliding 100–220 Hz
 * through three formant resonators, 4 Hz syllable envelopes, a pause every 5 s, breath noise. The one
 * speech-like test signal: the decoder's, the preparer's and the batch's tests all use it (a steady tone
 * would be skipped as hum, and silence as no speech). The simulator's own speech stays its own.
 */
public final class SpeechLikeGenerator {
  private static final double[] FORMANTS = {500, 1500, 2500};

  private final int rate;
  private final Random random;
  private final double[][] state = new double[FORMANTS.length][2];
  private final double[][] coef = new double[FORMANTS.length][3];
  private double phase;
  private long index;

  public SpeechLikeGenerator(int rate, long seed) {
    this.rate = rate;
    this.random = new Random(seed);
    for (int f = 0; f < FORMANTS.length; f++) {
      double r = Math.exp(-Math.PI * 120.0 / rate);
      coef[f][0] = 2 * r * Math.cos(2 * Math.PI * FORMANTS[f] / rate);
      coef[f][1] = -r * r;
      coef[f][2] = 1 - r;
    }
  }

  /** {@code seconds} of the signal from its start, at {@code rate}. */
  public static float[] samples(int rate, double seconds, long seed) {
    float[] x = new float[(int) Math.round(seconds * rate)];
    new SpeechLikeGenerator(rate, seed).next(x, x.length);
    return x;
  }

  /** The next {@code n} samples into {@code x}. */
  public void next(float[] x, int n) {
    for (int i = 0; i < n; i++, index++) {
      double t = (double) index / rate;
      double f0 = 160 + 60 * Math.sin(2 * Math.PI * 0.3 * t);
      phase += f0 / rate;
      phase -= Math.floor(phase);
      double pulse = phase < 0.1 ? Math.sin(Math.PI * phase / 0.1) : 0;
      double excitation = pulse + 0.05 * random.nextGaussian();
      double y = 0;
      for (int f = 0; f < FORMANTS.length; f++) {
        double v = coef[f][2] * excitation + coef[f][0] * state[f][0] + coef[f][1] * state[f][1];
        state[f][1] = state[f][0];
        state[f][0] = v;
        y += v / (f + 1);
      }
      double syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
      boolean pause = (t % 5.0) > 4.2;
      x[i] = (float) (pause ? 0.001 * random.nextGaussian() : 0.3 * y * syllable);
    }
  }
}
