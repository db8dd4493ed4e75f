package io.glmvoicebatch.audio;

/**
 * The ITU-R BS.1770-4 K-weighting (high-shelf "pre-filter" then RLB high-pass), with coefficients
 * derived from the analogue prototypes for the actual sample rate (the published tables are for
 * 48 kHz only). Same derivation as libebur128.
 */
final class KWeightingFilter {
  private final Biquad shelf;
  private final Biquad highPass;
  private double s1x1, s1x2, s1y1, s1y2;
  private double s2x1, s2x2, s2y1, s2y2;

  KWeightingFilter(int sampleRate) {
    double f0 = 1681.974450955533;
    double gainDb = 3.999843853973347;
    double q = 0.7071752369554196;
    double k = Math.tan(Math.PI * f0 / sampleRate);
    double vh = Math.pow(10.0, gainDb / 20.0);
    double vb = Math.pow(vh, 0.4996667741545416);
    double a0 = 1.0 + k / q + k * k;
    shelf =
        new Biquad(
            (vh + vb * k / q + k * k) / a0,
            2.0 * (k * k - vh) / a0,
            (vh - vb * k / q + k * k) / a0,
            2.0 * (k * k - 1.0) / a0,
            (1.0 - k / q + k * k) / a0);

    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    k = Math.tan(Math.PI * f0 / sampleRate);
    double d = 1.0 + k / q + k * k;
    highPass = new Biquad(1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / d, (1.0 - k / q + k * k) / d);
  }

  Biquad shelf() {
    return shelf;
  }

  Biquad highPass() {
    return highPass;
  }

  /** Filters x[from..to) and returns the K-weighted samples squared, in {@code squares}. */
  void squares(float[] x, int from, int to, double[] squares) {
    Biquad s = shelf;
    Biquad h = highPass;
    for (int i = from, o = 0; i < to; i++, o++) {
      double in = x[i];
      double y1 = s.b0 * in + s.b1 * s1x1 + s.b2 * s1x2 - s.a1 * s1y1 - s.a2 * s1y2;
      s1x2 = s1x1;
      s1x1 = in;
      s1y2 = s1y1;
      s1y1 = y1;
      double y2 = h.b0 * y1 + h.b1 * s2x1 + h.b2 * s2x2 - h.a1 * s2y1 - h.a2 * s2y2;
      s2x2 = s2x1;
      s2x1 = y1;
      s2y2 = s2y1;
      s2y1 = y2;
      squares[o] = y2 * y2;
    }
  }
}
