package io.glmvoicebatch.audio;

/** The Kaiser window and the standard formulas relating its beta to stop-band attenuation. */
final class KaiserWindow {
  private KaiserWindow() {}

  /** Kaiser's empirical beta for a stop-band attenuation of {@code db} decibels (> 50 dB). */
  static double betaForAttenuation(double db) {
    return 0.1102 * (db - 8.7);
  }

  /** Kaiser's estimate of a low-pass's length in samples at {@code rate} for this transition band and attenuation. */
  static int length(double db, double rate, double passHz, double stopHz) {
    return (int) Math.ceil((db - 7.95) * rate / (2.285 * 2 * Math.PI * (stopHz - passHz)));
  }

  /** The ideal low-pass of cut-off {@code fc} (cycles per sample) at {@code t} samples from its centre. */
  static double idealLowPass(double fc, double t) {
    double sinc = t == 0 ? 1 : Math.sin(2 * Math.PI * fc * t) / (2 * Math.PI * fc * t);
    return 2 * fc * sinc;
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
