package io.glmvoicebatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The typed status reads every wire name ledgers hold, and an intent line left last is an uncertain item. */
class LedgerStatusTest {
  @Test
  void wireNamesAreTheLedgersAndSendingLeftLastIsUncertain() {
    String[] wires = {"ok", "failed", "skipped", "sending", "uncertain", "estimate"};
    for (String wire : wires) {
      assertEquals(wire, LedgerStatus.of(wire).wire());
    }
    assertEquals(wires.length + 1, LedgerStatus.values().length, "every status but UNKNOWN is a wire name");
    assertEquals(LedgerStatus.UNKNOWN, LedgerStatus.of("done-in-a-later-version"));
    assertEquals(LedgerStatus.UNKNOWN, LedgerStatus.of(null));
    assertEquals(LedgerStatus.UNCERTAIN, LedgerStatus.SENDING.itemState());
    assertEquals(LedgerStatus.OK, LedgerStatus.OK.itemState());
    assertEquals(LedgerStatus.UNKNOWN, LedgerStatus.UNKNOWN.itemState());
  }
}
