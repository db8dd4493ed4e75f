package io.glmvoicebatch.simulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

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

  /** One admitted request's slot; releasing twice is harmless. */
  final class Slot implements AutoCloseable {
    private final AtomicBoolean held = new AtomicBoolean(true);

    /**
     * Frees the slot. Called just before the last bytes of a reply go out: a client that starts its
     * next request the moment it has read a reply must never find its own finished request still
     * counted.
     */
    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        release();
      }
    }
  }

  /** Takes a slot, or returns null when the account is at its cap (the caller answers 1302). */
  synchronized Slot tryAdmit() {
    int reserved = others.slotsHeldAt(Duration.ofNanos(System.nanoTime() - startNanos));
    if (inFlight + 1 + reserved > cap) {
      return null;
    }
    inFlight++;
    maxObserved = Math.max(maxObserved, inFlight);
    return new Slot();
  }

  private synchronized void release() {
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
