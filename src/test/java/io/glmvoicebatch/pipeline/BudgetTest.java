package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.UsageCost;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The issue-15 budget: worst cases reserved only while in flight; a request that does not fit waits. */
class BudgetTest {
  private static BigDecimal rmb(String v) {
    return new BigDecimal(v);
  }

  @Test
  void aRequestThatDoesNotFitWaitsForTheInFlightOnesToSettleAndThenFits() throws Exception {
    Budget budget = new Budget(rmb("1.0"));
    assertTrue(budget.tryReserve(rmb("0.6")));
    // It cannot decide while the first is in flight (0.6 + 0.6 > 1.0 at worst case): it waits, or answers.
    CompletableFuture<Boolean> second = waitingOrAnswered(() -> budget.tryReserve(rmb("0.6")));
    assertFalse(second.isDone(), "decided while the first request was still in flight");
    budget.settle(rmb("0.6"), rmb("0.1")); // the first cost far less than its worst case
    assertTrue(second.get(1, TimeUnit.MINUTES), "the second fits once the first settled at 0.1");
    assertFalse(budget.exhausted());
    assertEquals(0, budget.committed().compareTo(rmb("0.7")));
  }

  @Test
  void aRequestThatCannotFitWithNothingInFlightStopsSendingAndTheLimitIsNeverPassed() throws Exception {
    Budget budget = new Budget(rmb("1.0"));
    assertTrue(budget.tryReserve(rmb("0.5")));
    budget.settle(rmb("0.5"), rmb("0.5"));
    assertFalse(budget.tryReserve(rmb("0.6")), "0.5 spent + 0.6 worst case is over 1.0");
    assertTrue(budget.exhausted());
    assertFalse(budget.tryReserve(rmb("0.1")), "once stopped, sending stays stopped");
    assertTrue(budget.committed().compareTo(budget.limit()) <= 0);
  }

  @Test
  void anUncertainAttemptCountsAtItsWorstCaseNotAtTheTokensItsBrokenReplyReported() throws Exception {
    Budget budget = new Budget(rmb("1.0"));
    BigDecimal price = rmb("80");
    assertTrue(budget.tryReserve(rmb("0.6")));
    // Sent, and a 200 came back whose audio was unusable but whose usage said 1,250 tokens (0.1 RMB): the
    // service may have billed up to the whole max_tokens, so 0.6 stays committed.
    LedgerRecord uncertain = LedgerRecord.builder().id("u").status(LedgerStatus.UNCERTAIN)
        .usage(UsageCost.billed(1000, 250, 1250, price, "RMB")).build();
    assertEquals(0, uncertain.usage().cost().compareTo(rmb("0.1")));
    budget.settle(rmb("0.6"), uncertain);
    assertEquals(0, budget.committed().compareTo(rmb("0.6")), "settled at " + budget.committed());
    assertFalse(budget.tryReserve(rmb("0.6")), "0.6 uncertain + 0.6 worst case could pass 1.0");

    Budget ok = new Budget(rmb("1.0"));
    assertTrue(ok.tryReserve(rmb("0.6")));
    ok.settle(rmb("0.6"), LedgerRecord.builder().id("o").status(LedgerStatus.OK).usage(UsageCost.billed(1000, 250, 1250, price, "RMB"))
        .build());
    assertEquals(0, ok.committed().compareTo(rmb("0.1")), "an ok reply settles at what it cost");
    assertTrue(ok.tryReserve(rmb("0.6")));
  }

  /** A blocking reservation. */
  interface Reservation<T> {
    T take() throws InterruptedException;
  }

  /** Starts {@code reservation} on a thread of its own; returns once it waits or has answered. */
  static <T> CompletableFuture<T> waitingOrAnswered(Reservation<T> reservation) throws InterruptedException {
    CompletableFuture<T> answer = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        answer.complete(reservation.take());
      } catch (InterruptedException e) {
        answer.completeExceptionally(e);
      }
    });
    waiter.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (waiter.getState() != Thread.State.WAITING && !answer.isDone()) {
      assertTrue(System.nanoTime() < deadline, "the reservation neither waited nor answered");
      Thread.sleep(5);
    }
    return answer;
  }
}
