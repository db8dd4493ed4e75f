package io.glmvoicebatch.simulator;

import java.time.Duration;

/**
 * Concurrency slots held by an invisible other program sharing the same API key. The cap is per
 * account, so those slots are not available to our clients.
 */
@FunctionalInterface
public interface OtherClientsLoad {
  /** Slots held at {@code sinceStart} after the simulator started; never negative. */
  int slotsHeldAt(Duration sinceStart);

  static OtherClientsLoad none() {
    return fixed(0);
  }

  static OtherClientsLoad fixed(int slots) {
    if (slots < 0) {
      throw new IllegalArgumentException("slots must be >= 0: " + slots);
    }
    return sinceStart -> slots;
  }

  /** Holds {@code high} slots for the first half of every period and {@code low} for the second. */
  static OtherClientsLoad alternating(int low, int high, Duration period) {
    if (low < 0 || high < 0 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("need low,high >= 0 and a positive period");
    }
    long periodNanos = period.toNanos();
    return sinceStart -> (sinceStart.toNanos() % periodNanos) < periodNanos / 2 ? high : low;
  }
}
