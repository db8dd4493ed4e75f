package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import java.math.BigDecimal;

/**
 * {@code --maxCostRmb} for one worker JVM: a request starts only if its worst-case cost (prompt + max_tokens)
 * fits in what is left after the actual cost of settled requests and the worst case of those still reserved.
 * When one does not fit while others are reserved, it waits for them to settle (their actual cost is usually
 * far below the worst case) and decides then; only a request that does not fit with nothing else reserved
 * stops sending for the rest of the run, so the budget is used and never overshot.
 *
 * <p>On a cluster each worker JVM holds a share of the batch's budget ({@code --maxCostRmb / --clusterWorkers},
 * rounded down, like the cap), so the shares never add up to more than the budget. One per batch and JVM,
 * held by the batch's {@link BatchRuntime}.
 */
public final class Budget {

  private final BigDecimal limit;
  private BigDecimal settled = BigDecimal.ZERO;
  private BigDecimal reserved = BigDecimal.ZERO;
  private int reservations;
  private boolean exhausted;

  public Budget(BigDecimal limit) {
    this.limit = limit;
  }

  /**
   * Reserves {@code worstCase}, waiting while other reservations may still settle below their worst case;
   * false (and sending stops) once it cannot fit even with nothing else reserved.
   */
  public synchronized boolean tryReserve(BigDecimal worstCase) throws InterruptedException {
    while (!exhausted && !fits(worstCase) && reservations > 0) {
      wait();
    }
    if (exhausted || !fits(worstCase)) {
      exhausted = true;
      notifyAll(); // the other waiters stop too
      return false;
    }
    reserved = reserved.add(worstCase);
    reservations++;
    return true;
  }

  private boolean fits(BigDecimal worstCase) {
    return settled.add(reserved).add(worstCase).compareTo(limit) <= 0;
  }

  /** Replaces a reservation by what the request actually cost. */
  public synchronized void settle(BigDecimal reservation, BigDecimal actual) {
    reserved = reserved.subtract(reservation);
    reservations--;
    settled = settled.add(actual);
    notifyAll();
  }

  /**
   * Settles a reservation by its request's ledger line: what the line cost, except that an uncertain attempt
   * (sent, no usable reply: the service may have billed up to the whole max_tokens, whatever usage a broken
   * reply reported) and a request that ended without a line keep their worst case.
   */
  public void settle(BigDecimal reservation, LedgerRecord outcome) {
    boolean mayHaveCostMore = outcome == null || outcome.status() == LedgerStatus.UNCERTAIN;
    settle(reservation, mayHaveCostMore ? reservation : outcome.usage().cost());
  }

  public synchronized boolean exhausted() {
    return exhausted;
  }

  /** Actual cost of settled requests plus the worst case of those reserved. */
  public synchronized BigDecimal committed() {
    return settled.add(reserved);
  }

  public BigDecimal limit() {
    return limit;
  }
}
