package io.glmvoicebatch.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

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
    List<Waiter> grants;
    long grantEpoch;
    lock.lockInterruptibly();
    try {
      while (!shutdown && fresh.size() >= maxQueued) {
        queueSpace.await();
      }
      if (shutdown) {
        return false;
      }
      fresh.addLast(w);
      grants = grantLocked();
      grantEpoch = epoch;
    } finally {
      lock.unlock();
    }
    run(grants, grantEpoch);
    return true;
  }

  /** Queues an item for another attempt, ahead of fresh items. False once shut down. */
  boolean enqueueRetry(Waiter w) {
    List<Waiter> grants;
    long grantEpoch;
    lock.lock();
    try {
      if (shutdown) {
        return false;
      }
      retries.addLast(w);
      grants = grantLocked();
      grantEpoch = epoch;
    } finally {
      lock.unlock();
    }
    run(grants, grantEpoch);
    return true;
  }

  /** Returns an attempt's permit and adjusts the limit by what the attempt saw. */
  void release(Signal signal, long attemptEpoch) {
    List<Waiter> grants;
    long grantEpoch;
    lock.lock();
    try {
      inFlight--;
      if (adaptive) {
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
      grants = grantLocked();
      grantEpoch = epoch;
    } finally {
      lock.unlock();
    }
    run(grants, grantEpoch);
  }

  /** Refuses all further queuing; returns the waiters that never got a permit. */
  List<Waiter> shutdown() {
    lock.lock();
    try {
      shutdown = true;
      List<Waiter> dropped = new ArrayList<>(retries);
      dropped.addAll(fresh);
      retries.clear();
      fresh.clear();
      queueSpace.signalAll();
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  int currentLimit() {
    lock.lock();
    try {
      return (int) limit;
    } finally {
      lock.unlock();
    }
  }

  int queued() {
    lock.lock();
    try {
      return fresh.size() + retries.size();
    } finally {
      lock.unlock();
    }
  }

  private List<Waiter> grantLocked() {
    List<Waiter> grants = null;
    while (inFlight < (int) limit && (!retries.isEmpty() || !fresh.isEmpty())) {
      Waiter w = retries.isEmpty() ? fresh.pollFirst() : retries.pollFirst();
      inFlight++;
      if (grants == null) {
        grants = new ArrayList<>(4);
      }
      grants.add(w);
    }
    if (grants != null) {
      queueSpace.signalAll();
    }
    return grants;
  }

  private static void run(List<Waiter> grants, long grantEpoch) {
    if (grants == null) {
      return;
    }
    for (Waiter w : grants) {
      w.granted(grantEpoch);
    }
  }
}
