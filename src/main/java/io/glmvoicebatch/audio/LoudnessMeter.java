package io.glmvoicebatch.audio;

import java.util.Arrays;

/**
 * ITU-R BS.1770-4 integrated loudness of a mono signal: K-weighting, 400 ms blocks with 75 %
 * overlap, an absolute gate at -70 LUFS and a relative gate 10 LU below the absolutely-gated mean.
 */
final class LoudnessMeter {
  static final double ABSOLUTE_GATE_LUFS = -70.0;
  static final double RELATIVE_GATE_LU = -10.0;
  private static final double OFFSET = -0.691;

  private LoudnessMeter() {}

  /**
   * Integrated loudness of x[from..to) in LUFS, or negative infinity when nothing passes the gates.
   * Clips shorter than one 400 ms block are measured as a single block over their whole length
   * (BS.1770 would report nothing, which is useless for a short utterance).
   */
  static double integratedLufs(float[] x, int from, int to, int sampleRate) {
    return integratedLufs(x, from, to, sampleRate, 0);
  }

  /**
   * As {@link #integratedLufs(float[], int, int, int)}, with the absolute gate applied as if the signal were
   * first raised by {@code gateGainDb}: quiet speech that a gain will lift is measured rather than gated
   * away as silence (the relative gate still drops its pauses).
   */
  static double integratedLufs(float[] x, int from, int to, int sampleRate, double gateGainDb) {
    double absoluteGateLufs = ABSOLUTE_GATE_LUFS - gateGainDb;
    int n = to - from;
    if (n <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    KWeightingFilter filter = new KWeightingFilter(sampleRate);
    // Sum of squares per 100 ms step; a block is four consecutive steps.
    int steps = (int) ((long) n * 10 / sampleRate);
    if (steps < 4) {
      double[] sq = new double[n];
      filter.squares(x, from, to, sq);
      double sum = 0;
      for (double v : sq) {
        sum += v;
      }
      double lufs = lufs(sum / n);
      return lufs < absoluteGateLufs ? Double.NEGATIVE_INFINITY : lufs;
    }
    double[] stepSums = new double[steps];
    int[] stepLengths = new int[steps];
    double[] sq = new double[sampleRate / 10 + 2];
    for (int i = 0; i < steps; i++) {
      int a = from + (int) ((long) i * sampleRate / 10);
      int b = from + (int) ((long) (i + 1) * sampleRate / 10);
      filter.squares(x, a, b, sq);
      double s = 0;
      for (int j = 0; j < b - a; j++) {
        s += sq[j];
      }
      stepSums[i] = s;
      stepLengths[i] = b - a;
    }
    int blocks = steps - 3;
    double[] power = new double[blocks];
    for (int i = 0; i < blocks; i++) {
      double s = stepSums[i] + stepSums[i + 1] + stepSums[i + 2] + stepSums[i + 3];
      int len = stepLengths[i] + stepLengths[i + 1] + stepLengths[i + 2] + stepLengths[i + 3];
      power[i] = s / len;
    }
    double absoluteGate = powerOf(absoluteGateLufs);
    double relativeGate = powerOf(lufs(gatedMean(power, absoluteGate)) + RELATIVE_GATE_LU);
    double mean = gatedMean(power, Math.max(absoluteGate, relativeGate));
    return mean > 0 ? lufs(mean) : Double.NEGATIVE_INFINITY;
  }

  private static double gatedMean(double[] power, double gate) {
    return Arrays.stream(power).filter(p -> p > gate).average().orElse(0);
  }

  private static double lufs(double meanSquare) {
    return meanSquare > 0 ? OFFSET + 10 * Math.log10(meanSquare) : Double.NEGATIVE_INFINITY;
  }

  private static double powerOf(double lufs) {
    return Math.pow(10, (lufs - OFFSET) / 10);
  }
}
