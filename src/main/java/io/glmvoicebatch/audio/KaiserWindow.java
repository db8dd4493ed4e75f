package io.glmvoicebatch.audio;

/** The Kaiser window and the standard formulas relating its beta to stop-band attenuation. */
final class KaiserWindow {
  private KaiserWindow() {}

  /** Kaiser's empirical beta for a stop-band attenuation of {@code db} decibels (> 50 dB). */
  static double betaForAttenuation(double db) {
    return 0.1102 * (db - 8.7);
  }

  /** Window value at {@code u} in [-1, 1] (0 at the centre). */
  static double value(double beta, double u) {
    double r = 1 - u * u;
    return r <= 0 ? besselI0(0) / besselI0(beta) : besselI0(beta * Math.sqrt(r)) / besselI0(beta);
  }

  /** Zeroth-order modified Bessel function of the first kind, by its power series. */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 500; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
