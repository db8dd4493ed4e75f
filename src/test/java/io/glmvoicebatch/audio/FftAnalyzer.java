package io.glmvoicebatch.audio;

/** Magnitude spectrum by radix-2 FFT, to measure alias rejection in tests. */
final class FftAnalyzer {
  private FftAnalyzer() {}

  /**
   * Amplitude spectrum of x[from..from+n) (n a power of two, rectangular window) scaled so a
   * bin-centred sinusoid of amplitude A reads A in its bin.
   */
  static double[] amplitudes(float[] x, int from, int n) {
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = x[from + i];
    }
    transform(re, im);
    double[] mag = new double[n / 2 + 1];
    for (int k = 0; k <= n / 2; k++) {
      mag[k] = Math.hypot(re[k], im[k]) * (k == 0 || k == n / 2 ? 1.0 : 2.0) / n;
    }
    return mag;
  }

  private static void transform(double[] re, double[] im) {
    int n = re.length;
    if (Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("length must be a power of two");
    }
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      double angle = -2 * Math.PI / len;
      for (int i = 0; i < n; i += len) {
        for (int k = 0; k < len / 2; k++) {
          double wr = Math.cos(angle * k);
          double wi = Math.sin(angle * k);
          int a = i + k;
          int b = a + len / 2;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
