package io.glmvoicebatch.ledger;

import java.math.BigDecimal;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counts of what this run has concluded, fed by every ledger append of the batch in this JVM (the
 * batch's runtime owns one), or by the launcher reading back what a cluster's workers append: what the
 * progress line shows while the batch runs. The end summary is computed from the ledger file itself.
 */
public final class RunTally {

  /** This run's appended lines, folded by the ledger's one tally. */
  private final LedgerTally lines = new LedgerTally();
  private final AtomicLong alreadyDone = new AtomicLong();
  private final AtomicLong manifestLines = new AtomicLong();
  /** Ledger keys (id, or id#segment) whose intent line is written and whose outcome is not yet. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /** Counts one appended line ({@link LedgerTally#append}) and notes whether its key is in flight. */
  public void count(LedgerRecord r) {
    String key = r.key();
    if (r.status() == LedgerStatus.SENDING) {
      inFlight.add(key);
    } else {
      inFlight.remove(key);
    }
    lines.append(r);
  }

  /** An item skipped because an earlier run already finished it (no ledger line is written for it). */
  public void countAlreadyDone() {
    alreadyDone.incrementAndGet();
  }

  /** {@code n} items an earlier run finished, counted at once (by the launcher, from the ledger). */
  public void countAlreadyDone(long n) {
    alreadyDone.addAndGet(n);
  }

  /** Manifest lines (items and bad lines) read so far: the progress line's total, known once all are read. */
  public void countManifestLines(long n) {
    manifestLines.addAndGet(n);
  }

  public long manifestLines() {
    return manifestLines.get();
  }

  public long alreadyDone() {
    return alreadyDone.get();
  }

  /** This run's lines so far, folded. */
  public LedgerTally lines() {
    return lines;
  }

  public long ok() {
    return lines.ok();
  }

  public long failed() {
    return lines.failed();
  }

  public long skipped() {
    return lines.skipped();
  }

  /** Items settled ok, failed or skipped so far, those finished by earlier runs included. */
  public long done() {
    return ok() + failed() + skipped() + alreadyDone.get();
  }

  /** Requests started (intent lines written). */
  public long sent() {
    return lines.requestsStarted();
  }

  /** The ledger keys sent and not yet concluded, sorted: what an interrupted run leaves in doubt. */
  public Set<String> inFlightKeys() {
    return new TreeSet<>(inFlight);
  }

  /** Tokens billed so far. */
  public long tokens() {
    return lines.spend().totalTokens();
  }

  /** What the replies so far say was billed (uncertain attempts not included). */
  public BigDecimal cost() {
    return lines.spend().billed();
  }
}
