package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.glmvoicebatch.api.InFlightLimiter.Signal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * AIMD of the in-flight limit on a clock the test steps: the limit drops once per burst of 1302s and
 * climbs back one step only after a window of successes and the probe interval, whatever the machine's speed.
 */
class InFlightLimiterTest {
  private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);
  private final AtomicLong clock = new AtomicLong(1_000);
  private final AtomicInteger granted = new AtomicInteger();
  private final InFlightLimiter limiter = new InFlightLimiter(5, true, 0.75, INTERVAL, clock::get);

  private void queue(int items) throws InterruptedException {
    for (int i = 0; i < items; i++) {
      limiter.enqueueFresh(epoch -> granted.incrementAndGet(), 1000);
    }
  }

  private void succeed(int times) {
    for (int i = 0; i < times; i++) {
      limiter.release(Signal.SUCCESS, 0);
    }
  }

  @Test
  void theLimitClimbsBackOnlyAfterTheProbeInterval() throws Exception {
    queue(100);
    assertEquals(5, limiter.inFlight());
    limiter.release(Signal.CONCURRENCY_EXCEEDED, 0);
    assertEquals(3, limiter.currentLimit(), "5 x 0.75 = 3.75");

    succeed(30); // many windows of successes, but no time has passed
    assertEquals(3, limiter.currentLimit());
    assertEquals(3, limiter.inFlight());

    clock.addAndGet(INTERVAL - 1);
    succeed(3);
    assertEquals(3, limiter.currentLimit(), "one nanosecond short of the interval");

    clock.addAndGet(1);
    succeed(1);
    assertEquals(4, limiter.currentLimit(), "a window of successes and the interval: one step up");
    assertEquals(4, limiter.inFlight(), "the new slot is used at once");

    succeed(8); // the next step needs its own interval
    assertEquals(4, limiter.currentLimit());
    clock.addAndGet(INTERVAL);
    succeed(4);
    assertEquals(5, limiter.currentLimit());
    clock.addAndGet(INTERVAL);
    succeed(10);
    assertEquals(5, limiter.currentLimit(), "never above the cap");
  }

  @Test
  void aBurstOf1302sSentUnderOneLimitLowersItOnce() throws Exception {
    queue(100);
    limiter.release(Signal.CONCURRENCY_EXCEEDED, 0);
    limiter.release(Signal.CONCURRENCY_EXCEEDED, 0);
    limiter.release(Signal.CONCURRENCY_EXCEEDED, 0);
    assertEquals(3, limiter.currentLimit(), "the three were sent under the old limit: one decrease");
    limiter.release(Signal.CONCURRENCY_EXCEEDED, 1); // sent under the lowered limit (epoch 1)
    assertEquals(2, limiter.currentLimit(), "3.75 x 0.75");
  }
}
