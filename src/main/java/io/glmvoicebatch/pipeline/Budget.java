package io.glmvoicebatch.pipeline;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --maxCostRmb}: a request starts only if its worst-case cost (prompt + max_tokens) fits in what is
 * left after the actual cost of finished requests and the worst case of those in flight. The first
 * request that does not fit stops sending for the rest of the run: a budget is a ceiling, not a puzzle to
 * pack. One per batch per JVM, shared by every runner thread.
 */
public final class Budget {
  private static final Map<String, Budget> BY_BATCH = new HashMap<>();

  private final BigDecimal limit;
  private BigDecimal committed = BigDecimal.ZERO;
  private boolean exhausted;

  private Budget(BigDecimal limit) {
    this.limit = limit;
  }

  /** The budget of the batch writing to {@code ledgerKey}; created on first use with {@code limit}. */
  public static Budget of(String ledgerKey, BigDecimal limit) {
    synchronized (BY_BATCH) {
      return BY_BATCH.computeIfAbsent(ledgerKey, k -> new Budget(limit));
    }
  }

  public static void reset(String ledgerKey) {
    synchronized (BY_BATCH) {
      BY_BATCH.remove(ledgerKey);
    }
  }

  /** Reserves {@code worstCase}; false (and sending stops) when it could push the total over the limit. */
  public synchronized boolean tryReserve(BigDecimal worstCase) {
    if (exhausted || committed.add(worstCase).compareTo(limit) > 0) {
      exhausted = true;
      return false;
    }
    committed = committed.add(worstCase);
    return true;
  }

  /** Replaces a reservation by what the request actually cost. */
  public synchronized void settle(BigDecimal reserved, BigDecimal actual) {
    committed = committed.subtract(reserved).add(actual);
  }

  public synchronized boolean exhausted() {
    return exhausted;
  }

  public synchronized BigDecimal committed() {
    return committed;
  }

  public BigDecimal limit() {
    return limit;
  }
}
