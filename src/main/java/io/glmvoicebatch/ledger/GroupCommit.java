package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: threads that append while a durable write is in progress wait and share the next write,
 * so 20 replies arriving together cost one fsync (or one object) instead of 20. Every caller still
 * returns only once a write holding its own line is durable, and lines keep their arrival order.
 */
final class GroupCommit {
  /** Makes {@code lines} durable, in order, or throws. */
  interface DurableWrite {
    void write(List<byte[]> lines) throws IOException;
  }

  private final DurableWrite durable;
  private final String what;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private List<byte[]> pending = new ArrayList<>();
  private long pendingBatch = 1;
  private long durableBatch;
  private boolean writing;
  private final Map<Long, IOException> failures = new HashMap<>();

  GroupCommit(String what, DurableWrite durable) {
    this.what = what;
    this.durable = durable;
  }

  /** Returns once {@code line} is durable; throws if the write that held it failed. */
  void append(byte[] line) {
    lock.lock();
    try {
      pending.add(line);
      long mine = pendingBatch;
      while (durableBatch < mine) {
        if (writing) {
          written.awaitUninterruptibly();
          continue;
        }
        // No write in progress: this thread writes everything pending, its own line included.
        List<byte[]> batch = pending;
        long number = pendingBatch;
        pending = new ArrayList<>();
        pendingBatch++;
        writing = true;
        IOException error = null;
        lock.unlock();
        try {
          durable.write(batch);
        } catch (IOException e) {
          error = e;
        } catch (RuntimeException e) {
          error = new IOException(e.getMessage(), e);
        } finally {
          lock.lock();
        }
        writing = false;
        durableBatch = number;
        if (error != null) {
          failures.put(number, error);
        }
        failures.keySet().removeIf(n -> n < number - 10_000);
        written.signalAll();
      }
      IOException failed = failures.get(mine);
      if (failed != null) {
        throw new UncheckedIOException("cannot append to " + what + ": " + failed.getMessage(), failed);
      }
    } finally {
      lock.unlock();
    }
  }
}
