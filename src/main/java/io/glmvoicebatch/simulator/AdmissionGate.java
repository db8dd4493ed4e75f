package io.glmvoicebatch.simulator;

import java.time.Duration;

/**
 * Counts requests in flight against the account's concurrency cap. Slots held by other clients of
 * the same key count against the cap but not in {@link #maxObserved()}.
 */
final class AdmissionGate {
  private final int cap;
  private final OtherClientsLoad others;
  private final long startNanos = System.nanoTime();
  private int inFlight;
  private int maxObserved;

  AdmissionGate(int cap, OtherClientsLoad others) {
    this.cap = cap;
    this.others = others;
  }

  /** Takes a slot, or returns false when the account is at its cap (the caller answers 1302). */
  synchronized boolean tryAdmit() {
    int reserved = others.slotsHeldAt(Duration.ofNanos(System.nanoTime() - startNanos));
    if (inFlight + 1 + reserved > cap) {
      return false;
    }
    inFlight++;
    maxObserved = Math.max(maxObserved, inFlight);
    return true;
  }

  synchronized void release() {
    if (inFlight <= 0) {
      throw new IllegalStateException("release without admission");
    }
    inFlight--;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int maxObserved() {
    return maxObserved;
  }

  synchronized void resetMaxObserved() {
    maxObserved = inFlight;
  }
}
