package io.glmvoicebatch.audio;

/** Magnitude spectrum by the production {@link Fft} (itself checked against a plain DFT in FftTest), for tests. */
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
    new Fft(n).transform(re, im);
    double[] mag = new double[n / 2 + 1];
    for (int k = 0; k <= n / 2; k++) {
      mag[k] = Math.hypot(re[k], im[k]) * (k == 0 || k == n / 2 ? 1.0 : 2.0) / n;
    }
    return mag;
  }
}
