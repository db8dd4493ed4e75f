package io.glmvoicebatch.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Permits for requests in flight, granted by callback so no thread waits for one. The limit starts at
 * the configured cap and, when adaptive, follows AIMD on 1302 (the account's cap is shared with other
 * programs): multiply by the decrease factor once per window, then +1 after a window of successes and
 * a probe interval. Waiting retries go before fresh items: they already started their deadline.
 */
final class InFlightLimiter {
  enum Signal { SUCCESS, CONCURRENCY_EXCEEDED, NEUTRAL }

  interface Waiter {
    /** Called outside the lock with one permit held; {@code epoch} goes back to {@link #release}. */
    void granted(long epoch);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queueSpace = lock.newCondition();
  private final ArrayDeque<Waiter> retries = new ArrayDeque<>();
  private final ArrayDeque<Waiter> fresh = new ArrayDeque<>();
  private final int cap;
  private final boolean adaptive;
  private final double decreaseFactor;
  private final long probeIntervalNanos;
  private final LongSupplier nanoTime;

  private double limit;
  private int inFlight;
  private int successesSinceChange;
  private long lastChangeNanos;
  /** Bumped on every decrease, so one burst of 1302s (all sent under the old limit) counts once. */
  private long epoch;
  private boolean shutdown;

  InFlightLimiter(int cap, boolean adaptive, double decreaseFactor, long probeIntervalNanos) {
    this(cap, adaptive, decreaseFactor, probeIntervalNanos, System::nanoTime);
  }

  /** @param nanoTime the clock the probe interval is measured on (a test steps its own) */
  InFlightLimiter(int cap, boolean adaptive, double decreaseFactor, long probeIntervalNanos, LongSupplier nanoTime) {
    this.cap = cap;
    this.adaptive = adaptive;
    this.decreaseFactor = decreaseFactor;
    this.probeIntervalNanos = probeIntervalNanos;
    this.nanoTime = nanoTime;
    this.limit = cap;
    this.lastChangeNanos = nanoTime.getAsLong();
  }

  /**
   * Queues a new item, blocking while {@code maxQueued} fresh items already wait. Returns false (and
   * queues nothing) once shut down.
   */
  boolean enqueueFresh(Waiter w, int maxQueued) throws InterruptedException {
    Grants grants;
    lock.lockInterruptibly();
    try {
      while (!shutdown && fresh.size() >= maxQueued) {
        queueSpace.await();
      }
      grants = queueLocked(fresh, w);
    } finally {
      lock.unlock();
    }
    return grants.run();
  }

  /** Queues an item for another attempt, ahead of fresh items. False once shut down. */
  boolean enqueueRetry(Waiter w) {
    return locked(() -> queueLocked(retries, w)).run();
  }

  /** Returns an attempt's permit and adjusts the limit by what the attempt saw. */
  void release(Signal signal, long attemptEpoch) {
    locked(() -> {
      inFlight--;
      if (adaptive) {
        adjustLocked(signal, attemptEpoch);
      }
      return grantLocked();
    }).run();
  }

  /** Refuses all further queuing; returns the waiters that never got a permit. */
  List<Waiter> shutdown() {
    return locked(() -> {
      shutdown = true;
      List<Waiter> dropped = new ArrayList<>(retries);
      dropped.addAll(fresh);
      retries.clear();
      fresh.clear();
      queueSpace.signalAll();
      return dropped;
    });
  }

  int inFlight() {
    return locked(() -> inFlight);
  }

  int currentLimit() {
    return locked(() -> (int) limit);
  }

  int queued() {
    return locked(() -> fresh.size() + retries.size());
  }

  private <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private void adjustLocked(Signal signal, long attemptEpoch) {
    long now = nanoTime.getAsLong();
    if (signal == Signal.CONCURRENCY_EXCEEDED && attemptEpoch == epoch) {
      limit = Math.max(1.0, limit * decreaseFactor);
      epoch++;
      successesSinceChange = 0;
      lastChangeNanos = now;
    } else if (signal == Signal.SUCCESS && limit < cap) {
      successesSinceChange++;
      if (successesSinceChange >= (int) limit && now - lastChangeNanos >= probeIntervalNanos) {
        limit = Math.min(cap, Math.floor(limit) + 1);
        successesSinceChange = 0;
        lastChangeNanos = now;
      }
    }
  }

  private Grants queueLocked(ArrayDeque<Waiter> queue, Waiter w) {
    if (shutdown) {
      return Grants.REFUSED;
    }
    queue.addLast(w);
    return grantLocked();
  }

  private Grants grantLocked() {
    List<Waiter> granted = List.of();
    while (inFlight < (int) limit && (!retries.isEmpty() || !fresh.isEmpty())) {
      Waiter w = retries.isEmpty() ? fresh.pollFirst() : retries.pollFirst();
      inFlight++;
      if (granted.isEmpty()) {
        granted = new ArrayList<>(4);
      }
      granted.add(w);
    }
    if (!granted.isEmpty()) {
      queueSpace.signalAll();
    }
    return new Grants(granted, epoch, true);
  }

  /**
   * The waiters given a permit under the lock, called once it is released ({@link Waiter#granted} may
   * queue again); {@code queued}: false when the item was refused because the limiter is shut down.
   */
  private record Grants(List<Waiter> waiters, long epoch, boolean queued) {
    static final Grants REFUSED = new Grants(List.of(), 0, false);

    boolean run() {
      for (Waiter w : waiters) {
        w.granted(epoch);
      }
      return queued;
    }
  }
}
