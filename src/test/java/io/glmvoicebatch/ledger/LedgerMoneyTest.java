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

  private static LedgerRecord.Builder line(String id, String status) {
    return LedgerRecord.builder().id(id).status(status).pricePerMillionTokens("80").currency("RMB");
  }

  private static LedgerRecord billed(String id, String status, long prompt, long completion) {
    return line(id, status).tokens(prompt, completion, prompt + completion, PRICE, "RMB").build();
  }

  @Test
  void everyBilledLineCountsEarlierOnesApartAndUncertainAttemptsAtTheirWorstCase() {
    List<LedgerRecord> ledger = List.of(
        // run 1: a sent, ok; b in flight when the run was killed
        line("a", LedgerRecord.SENDING).worstCaseTokens(1200L).build(),
        billed("a", LedgerRecord.OK, 100, 50),
        line("b", LedgerRecord.SENDING).worstCaseTokens(1300L).build(),
        // run 2: b marked uncertain and sent again; a's prompt changed, so a is sent and paid again
        line("b", LedgerRecord.UNCERTAIN).worstCaseTokens(1300L).build(),
        line("b", LedgerRecord.SENDING).worstCaseTokens(1300L).build(),
        billed("b", LedgerRecord.OK, 200, 60),
        line("a", LedgerRecord.SENDING).worstCaseTokens(1200L).build(),
        billed("a", LedgerRecord.OK, 110, 40),
        // a billed reply that could not be stored, then c killed in flight (older line: no worst case)
        billed("d", LedgerRecord.FAILED, 70, 30),
        line("c", LedgerRecord.SENDING).build(),
        // a split recording: two billed segments and the item line that repeats their sum
        billed("e", LedgerRecord.OK, 10, 5).toBuilder().segment(0).segments(2).build(),
        billed("e", LedgerRecord.OK, 20, 5).toBuilder().segment(1).segments(2).build(),
        billed("e", LedgerRecord.OK, 30, 10).toBuilder().segments(2).build(),
        // a dry-run estimate never counts
        billed("f", LedgerRecord.ESTIMATE, 500, 500));

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
    LedgerMoney.Spend s = LedgerMoney.of(List.of(line("a", LedgerRecord.SENDING).worstCaseTokens(900L).build(),
        billed("a", LedgerRecord.OK, 100, 50)));
    assertEquals(0, Cost.of(150, PRICE).compareTo(s.mayHaveBeenPaid()));
    assertNull(s.breakdown("RMB"));
  }
}
