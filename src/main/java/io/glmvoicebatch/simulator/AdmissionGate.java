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
  // Slot occupancy: how long our admitted requests held slots, and over which window.
  private long heldNanos;
  private long firstAdmitNanos = -1;
  private long lastReleaseNanos = -1;

  AdmissionGate(int cap, OtherClientsLoad others) {
    this.cap = cap;
    this.others = others;
  }

  /** One admitted request's slot; releasing twice is harmless. */
  final class Slot implements AutoCloseable {
    private final AtomicBoolean held = new AtomicBoolean(true);
    private final long admittedNanos = System.nanoTime();

    /** When the request took its slot: its arrival. */
    long admittedNanos() {
      return admittedNanos;
    }

    /**
     * Frees the slot. Called just before the last bytes of a reply go out: a client that starts its
     * next request the moment it has read a reply must never find its own finished request still
     * counted.
     */
    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        release(admittedNanos);
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
    Slot slot = new Slot();
    if (firstAdmitNanos < 0) {
      firstAdmitNanos = slot.admittedNanos;
    }
    return slot;
  }

  private synchronized void release(long admittedNanos) {
    if (inFlight <= 0) {
      throw new IllegalStateException("release without admission");
    }
    inFlight--;
    long now = System.nanoTime();
    heldNanos += now - admittedNanos;
    lastReleaseNanos = now;
  }

  /** Seconds of slot time held by admitted requests, summed over requests. */
  synchronized double slotSecondsHeld() {
    return heldNanos / 1e9;
  }

  /** Seconds from the first admission to the last release (0 before any). */
  synchronized double occupancyWindowSeconds() {
    return firstAdmitNanos < 0 || lastReleaseNanos < 0 ? 0 : (lastReleaseNanos - firstAdmitNanos) / 1e9;
  }

  synchronized void resetOccupancy() {
    heldNanos = 0;
    firstAdmitNanos = -1;
    lastReleaseNanos = -1;
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
