package io.glmvoicebatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The money fold over a ledger a crash series leaves: attempts, runs, uncertain lines, split items. */
class LedgerMoneyTest {
  private static final BigDecimal PRICE = new BigDecimal("80");

  private static LedgerRecord.Builder line(String id, LedgerStatus status) {
    return LedgerRecord.builder().id(id).status(status).usage(UsageCost.priced("80", "RMB"));
  }

  private static LedgerRecord billed(String id, LedgerStatus status, long prompt, long completion) {
    return line(id, status).usage(UsageCost.billed(prompt, completion, prompt + completion, PRICE, "RMB")).build();
  }

  @Test
  void everyBilledLineCountsEarlierOnesApartAndUncertainAttemptsAtTheirWorstCase() {
    List<LedgerRecord> ledger = List.of(
        // run 1: a sent, ok; b in flight when the run was killed
        line("a", LedgerStatus.SENDING).usage(uc -> uc.withWorstCase(1200L, uc.worstCaseCost())).build(),
        billed("a", LedgerStatus.OK, 100, 50),
        line("b", LedgerStatus.SENDING).usage(uc -> uc.withWorstCase(1300L, uc.worstCaseCost())).build(),
        // run 2: b marked uncertain and sent again; a's prompt changed, so a is sent and paid again
        line("b", LedgerStatus.UNCERTAIN).usage(uc -> uc.withWorstCase(1300L, uc.worstCaseCost())).build(),
        line("b", LedgerStatus.SENDING).usage(uc -> uc.withWorstCase(1300L, uc.worstCaseCost())).build(),
        billed("b", LedgerStatus.OK, 200, 60),
        line("a", LedgerStatus.SENDING).usage(uc -> uc.withWorstCase(1200L, uc.worstCaseCost())).build(),
        billed("a", LedgerStatus.OK, 110, 40),
        // a billed reply that could not be stored, then c killed in flight (older line: no worst case)
        billed("d", LedgerStatus.FAILED, 70, 30),
        line("c", LedgerStatus.SENDING).build(),
        // a split recording: two billed segments and the item line that repeats their sum
        billed("e", LedgerStatus.OK, 10, 5).toBuilder().place(new SegmentPlace(0, 2, null)).build(),
        billed("e", LedgerStatus.OK, 20, 5).toBuilder().place(new SegmentPlace(1, 2, null)).build(),
        billed("e", LedgerStatus.OK, 30, 10).toBuilder().place(SegmentPlace.item(2)).build(),
        // a dry-run estimate never counts
        billed("f", LedgerStatus.ESTIMATE, 500, 500));

    LedgerMoney.Spend s = LedgerMoney.of(ledger);
    long billedTokens = 150 + 260 + 150 + 100 + 15 + 25;
    assertEquals(billedTokens, s.totalTokens());
    assertEquals(100 + 200 + 110 + 70 + 10 + 20, s.promptTokens());
    assertEquals(0, Cost.of(billedTokens, PRICE).compareTo(s.billed()));
    assertEquals(150, s.earlierTokens(), "a's first ok line was paid in an earlier run");
    assertEquals(0, Cost.of(150, PRICE).compareTo(s.earlier()));
    assertEquals(2, s.uncertainAttempts(), "b's uncertain line and c still in flight");
    assertEquals(1300 + LedgerMoney.CONTEXT_TOKENS, s.uncertainWorstCaseTokens());
    assertEquals(0, Cost.of(billedTokens + 1300 + 8192, PRICE).compareTo(s.mayHaveBeenPaid()));
    String breakdown = s.breakdown("RMB");
    assertTrue(breakdown.contains("0.012 RMB of it billed for earlier attempts and runs (150 tokens)"), breakdown);
    assertTrue(breakdown.contains("up to 0.759360 RMB for 2 uncertain attempt(s)")
        || breakdown.contains("up to 0.75936 RMB for 2 uncertain attempt(s)"), breakdown);
  }

  @Test
  void aCleanLedgerIsTheSumOfItsLines() {
    LedgerMoney.Spend s = LedgerMoney.of(List.of(line("a", LedgerStatus.SENDING).usage(uc -> uc.withWorstCase(900L, uc.worstCaseCost())).build(),
        billed("a", LedgerStatus.OK, 100, 50)));
    assertEquals(0, Cost.of(150, PRICE).compareTo(s.mayHaveBeenPaid()));
    assertNull(s.breakdown("RMB"));
  }
}
