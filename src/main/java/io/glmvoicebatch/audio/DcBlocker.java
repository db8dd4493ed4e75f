package io.glmvoicebatch.audio;

/**
 * One-pole DC-blocking high-pass (y[n] = x[n] - x[n-1] + R·y[n-1]) with its -3 dB corner at about
 * 20 Hz: removes recorder offsets without touching speech.
 */
final class DcBlocker {
  static final double CORNER_HZ = 20.0;

  private DcBlocker() {}

  /** Filters {@code x[from..to)} in place. */
  static void apply(float[] x, int from, int to, int sampleRate) {
    double r = Math.exp(-2 * Math.PI * CORNER_HZ / sampleRate);
    // Starting from the first sample (not 0) avoids turning a DC offset into a click.
    double prevX = to > from ? x[from] : 0;
    double prevY = 0;
    for (int i = from; i < to; i++) {
      double xi = x[i];
      double yi = xi - prevX + r * prevY;
      x[i] = (float) yi;
      prevX = xi;
      prevY = yi;
    }
  }
}
