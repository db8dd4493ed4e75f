package io.glmvoicebatch.pipeline;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the call stage decodes audio just in time, one per batch per JVM (held by its {@link BatchRuntime},
 * which shuts it down): a few threads (one per core) so
 * the next items are prepared while the cap's requests are in flight, and a fixed number of places for
 * items between "preparation started" and "reply concluded". A runner thread takes a place before it hands
 * an item over and blocks while none is free, so prepared audio in memory is bounded by the cap, not by
 * the batch or the bundle.
 */
final class PreparationPool {

  private final ThreadPoolExecutor threads;
  private final Semaphore places;
  private final int size;

  private PreparationPool(int threadCount, int places) {
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(threadCount, threadCount, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "prepare-audio-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    // Idle threads end on their own too: a worker whose runtime outlives its batch keeps no threads.
    this.threads.allowCoreThreadTimeOut(true);
    this.places = new Semaphore(places);
    this.size = places;
  }

  /**
   * A pool for a client with this cap. Places: the client's in-flight cap, its queue of waiting requests
   * and one per preparing thread, so every slot freed finds a request ready and the threads are never idle
   * for want of a place.
   */
  static PreparationPool forCap(int inFlightCap, int queueFactor) {
    int threadCount = Math.max(1, Runtime.getRuntime().availableProcessors());
    return new PreparationPool(threadCount, inFlightCap * (1 + Math.max(0, queueFactor)) + threadCount);
  }

  /** Stops the threads once their current work is done (the batch's last holder released it). */
  void shutdown() {
    threads.shutdown();
  }

  /** Blocks until a place is free: the back-pressure that keeps preparation a few items ahead of the calls. */
  void takePlace() throws InterruptedException {
    places.acquire();
  }

  void releasePlace() {
    places.release();
  }

  Executor threads() {
    return threads;
  }

  /** How many items may be between preparation and conclusion at once. */
  int places() {
    return size;
  }
}
