package io.glmvoicebatch.ledger;

/**
 * The {@code status} of a ledger line, with its wire name (the JSON line keeps the name, so every ledger
 * ever written still reads; a name this version does not know reads as {@link #UNKNOWN}). An item's state
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
  ESTIMATE("estimate"),
  /**
   * A status this version does not know (a newer version wrote it), or none: the line still reads, its item
   * counts as unknown, and it is never written back.
   */
  UNKNOWN("unknown");

  private final String wire;

  LedgerStatus(String wire) {
    this.wire = wire;
  }

  /** The name in the ledger's JSON. */
  public String wire() {
    return wire;
  }

  /** The wire name: what messages and logs show, as the ledger spells it. */
  @Override
  public String toString() {
    return wire;
  }

  /** The status of a wire name; {@link #UNKNOWN} for none or a name this version does not know. */
  public static LedgerStatus of(String wire) {
    if (wire != null) {
      for (LedgerStatus s : values()) {
        if (s != UNKNOWN && s.wire.equals(wire)) {
          return s;
        }
      }
    }
    return UNKNOWN;
  }

  /**
   * What this status means as an item's last line: an intent line left last means the attempt's outcome is
   * unknown, so {@link #SENDING} counts as {@link #UNCERTAIN}; every other status is itself.
   */
  public LedgerStatus itemState() {
    return this == SENDING ? UNCERTAIN : this;
  }
}
