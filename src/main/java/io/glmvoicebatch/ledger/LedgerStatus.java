package io.glmvoicebatch.ledger;

/**
 * The {@code status} of a ledger line, with its wire name. The ledger keeps the wire name (a string) so
 * every ledger ever written still reads; code that folds states switches on this enum, and an item's state
 * is decided in one place ({@link #itemState}) for the summary, the report and the live tally.
 */
public enum LedgerStatus {
  OK("ok"),
  FAILED("failed"),
  SKIPPED("skipped"),
  /** An intent line: written and fsynced before an attempt is sent. */
  SENDING("sending"),
  /** Sent, outcome unknown: may have been billed. */
  UNCERTAIN("uncertain"),
  /** A dry run's estimate (dry-run.jsonl only). */
  ESTIMATE("estimate");

  private final String wire;

  LedgerStatus(String wire) {
    this.wire = wire;
  }

  /** The name in the ledger's JSON. */
  public String wire() {
    return wire;
  }

  /** The status of a wire name, or null for none or a name this version does not know. */
  public static LedgerStatus of(String wire) {
    if (wire != null) {
      for (LedgerStatus s : values()) {
        if (s.wire.equals(wire)) {
          return s;
        }
      }
    }
    return null;
  }

  /**
   * What this status means as an item's last line: an intent line left last means the attempt's outcome is
   * unknown, so {@link #SENDING} counts as {@link #UNCERTAIN}; every other status is itself.
   */
  public LedgerStatus itemState() {
    return this == SENDING ? UNCERTAIN : this;
  }
}
