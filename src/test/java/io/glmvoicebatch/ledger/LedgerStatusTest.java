package io.glmvoicebatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The typed status reads every wire name ledgers hold, and an intent line left last is an uncertain item. */
class LedgerStatusTest {
  @Test
  void wireNamesAreTheLedgersAndSendingLeftLastIsUncertain() {
    String[] wires = {LedgerRecord.OK, LedgerRecord.FAILED, LedgerRecord.SKIPPED, LedgerRecord.SENDING,
        LedgerRecord.UNCERTAIN, LedgerRecord.ESTIMATE};
    for (String wire : wires) {
      assertEquals(wire, LedgerStatus.of(wire).wire());
    }
    assertEquals(wires.length, LedgerStatus.values().length, "every status has a wire name in LedgerRecord");
    assertNull(LedgerStatus.of("done-in-a-later-version"));
    assertNull(LedgerStatus.of(null));
    assertEquals(LedgerStatus.UNCERTAIN, LedgerStatus.SENDING.itemState());
    assertEquals(LedgerStatus.OK, LedgerStatus.OK.itemState());
    assertEquals(LedgerStatus.SENDING, LedgerRecord.builder().id("a").status("sending").build().state());
  }
}
