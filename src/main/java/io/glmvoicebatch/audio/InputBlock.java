package io.glmvoicebatch.audio;

import java.util.Arrays;

/**
 * The input window of a filter that works a whole block at a time: samples are copied in as they come, the
 * filter runs each time the window is full, then keeps the tail its next block needs (its history).
 */
final class InputBlock {
  /** The window: {@code samples[0 .. filled)} hold input, the rest waits for more. */
  final float[] samples;
  private int filled;
  private long total;

  /** {@code zeros}: how many samples of silence stand before the first input (x[n < 0] = 0). */
  InputBlock(int size, int zeros) {
    samples = new float[size];
    filled = zeros;
  }

  /** Copies x[off .. off + count) in, calling {@code whenFull} each time the window fills. */
  void append(float[] x, int off, int count, Runnable whenFull) {
    total += count;
    while (count > 0) {
      int take = Math.min(count, samples.length - filled);
      System.arraycopy(x, off, samples, filled, take);
      filled += take;
      off += take;
      count -= take;
      if (filled == samples.length) {
        whenFull.run();
      }
    }
  }

  /** Fills the rest of the window with silence, to run the filter over the last input. */
  void padWithSilence() {
    Arrays.fill(samples, filled, samples.length, 0f);
    filled = samples.length;
  }

  /** After a block: keeps {@code samples[from .. from + history)} as the start of the next window. */
  void keep(int from, int history) {
    System.arraycopy(samples, from, samples, 0, history);
    filled = history;
  }

  /** How many input samples were appended in all. */
  long total() {
    return total;
  }
}
