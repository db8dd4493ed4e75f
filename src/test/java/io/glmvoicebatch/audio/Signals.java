package io.glmvoicebatch.audio;

import java.util.Random;

/** Deterministic test signals. */
final class Signals {
  private Signals() {}

  static float[] sine(double freq, double amplitude, int rate, double seconds) {
    return sine(freq, amplitude, rate, (int) Math.round(seconds * rate), 0);
  }

  static float[] sine(double freq, double amplitude, int rate, int n, double phase) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate + phase));
    }
    return x;
  }

  static float[] silence(int rate, double seconds) {
    return new float[(int) Math.round(seconds * rate)];
  }

  static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  static float[] scale(float[] x, double g) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) (x[i] * g);
    }
    return out;
  }

  /**
   * Speech-like test audio: a glottal-pulse-like harmonic series (f0 gliding 100–220 Hz) through
   * a few formant resonances, with 4 Hz syllable envelopes, pauses, and a little breath noise.
   */
  static float[] speechLike(int rate, double seconds, long seed) {
    Random random = new Random(seed);
    int n = (int) Math.round(seconds * rate);
    float[] x = new float[n];
    double phase = 0;
    double[] formants = {500, 1500, 2500};
    double[][] state = new double[formants.length][2];
    double[][] coef = new double[formants.length][3];
    for (int f = 0; f < formants.length; f++) {
      double r = Math.exp(-Math.PI * 120.0 / rate);
      coef[f][0] = 2 * r * Math.cos(2 * Math.PI * formants[f] / rate);
      coef[f][1] = -r * r;
      coef[f][2] = 1 - r;
    }
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double f0 = 160 + 60 * Math.sin(2 * Math.PI * 0.3 * t);
      phase += f0 / rate;
      phase -= Math.floor(phase);
      double pulse = phase < 0.1 ? Math.sin(Math.PI * phase / 0.1) : 0;
      double excitation = pulse + 0.05 * random.nextGaussian();
      double y = 0;
      for (int f = 0; f < formants.length; f++) {
        double v = coef[f][2] * excitation + coef[f][0] * state[f][0] + coef[f][1] * state[f][1];
        state[f][1] = state[f][0];
        state[f][0] = v;
        y += v / (f + 1);
      }
      double syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
      boolean pause = (t % 5.0) > 4.2;
      x[i] = (float) (pause ? 0.001 * random.nextGaussian() : 0.6 * y * syllable);
    }
    return x;
  }

  static double peak(float[] x) {
    double p = 0;
    for (float v : x) {
      p = Math.max(p, Math.abs(v));
    }
    return p;
  }

  /** Least-squares amplitude of a sinusoid of known frequency in x[from..to). */
  static double amplitudeAt(float[] x, int from, int to, double freq, int rate) {
    double ss = 0, sc = 0, s2 = 0, c2 = 0, cs = 0;
    for (int i = from; i < to; i++) {
      double w = 2 * Math.PI * freq * i / rate;
      double s = Math.sin(w);
      double c = Math.cos(w);
      ss += x[i] * s;
      sc += x[i] * c;
      s2 += s * s;
      c2 += c * c;
      cs += s * c;
    }
    double det = s2 * c2 - cs * cs;
    double a = (ss * c2 - sc * cs) / det;
    double b = (sc * s2 - ss * cs) / det;
    return Math.hypot(a, b);
  }
}
