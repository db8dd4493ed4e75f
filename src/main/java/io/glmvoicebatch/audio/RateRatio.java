package io.glmvoicebatch.audio;

/**
 * The resampling ratio up/down in lowest terms. Odd input rates (say 44101 Hz) give thousands of
 * filter phases; above {@link #MAX_UP} the ratio is approximated by the nearest fraction with a
 * small numerator, which changes duration and pitch by parts per million.
 */
record RateRatio(int up, int down, boolean exact) {
  static final int MAX_UP = 1024;

  static RateRatio of(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("rates must be positive");
    }
    int g = gcd(inRate, outRate);
    if (outRate / g <= MAX_UP) {
      return new RateRatio(outRate / g, inRate / g, true);
    }
    double target = (double) inRate / outRate; // down/up
    int bestUp = 1;
    long bestDown = Math.max(1, Math.round(target));
    double bestError = Double.MAX_VALUE;
    for (int p = 1; p <= MAX_UP; p++) {
      long q = Math.max(1, Math.round(p * target));
      double error = Math.abs((double) q / p / target - 1);
      if (error < bestError - 1e-15) {
        bestError = error;
        bestUp = p;
        bestDown = q;
      }
    }
    return new RateRatio(bestUp, (int) bestDown, false);
  }

  /** Relative change of duration caused by an approximated ratio (0 when exact). */
  double durationError(int inRate, int outRate) {
    return (double) up * inRate / ((double) down * outRate) - 1;
  }

  long outputLength(long inputSamples) {
    return Math.floorDiv(inputSamples * up + down - 1, down);
  }

  static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
