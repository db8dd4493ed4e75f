package io.glmvoicebatch.audio;

import io.glmvoicebatch.testing.SpeechLikeGenerator;

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

  /** Speech-like test audio; see {@link SpeechLikeGenerator}. */
  static float[] speechLike(int rate, double seconds, long seed) {
    return SpeechLikeGenerator.samples(rate, seconds, seed);
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
