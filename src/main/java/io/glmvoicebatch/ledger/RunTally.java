package io.glmvoicebatch.ledger;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live counts of what this run has concluded, fed by every ledger append in this JVM: what the progress
 * line shows while the batch runs. The end summary is computed from the ledger file itself.
 */
public final class RunTally {
  private static final Map<String, RunTally> BY_LEDGER = new HashMap<>();

  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong sending = new AtomicLong();
  private final AtomicLong alreadyDone = new AtomicLong();
  private final AtomicLong manifestLines = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicReference<BigDecimal> cost = new AtomicReference<>(BigDecimal.ZERO);
  /** Ledger keys (id, or id#segment) whose intent line is written and whose outcome is not yet. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /** The tally of the ledger at {@code key} (its absolute path) in this JVM. */
  public static RunTally of(String key) {
    synchronized (BY_LEDGER) {
      return BY_LEDGER.computeIfAbsent(key, k -> new RunTally());
    }
  }

  /**
   * A tally of its own, not this JVM's ledger appends: the launcher's counts of what other JVMs (a cluster's
   * workers) append, fed by reading the ledger.
   */
  public static RunTally detached() {
    return new RunTally();
  }

  /** Forgets the tally, so a new run in the same JVM (tests) starts from zero. */
  public static void reset(String key) {
    synchronized (BY_LEDGER) {
      BY_LEDGER.remove(key);
    }
  }

  /**
   * Counts one appended line. A segment of a split recording counts its tokens but not as an item; the
   * stitched item line counts as an item but not its tokens again (they are its segments' sum).
   */
  public void count(LedgerRecord r) {
    boolean segmentLine = r.segment() != null;
    boolean stitchedItem = !segmentLine && r.segments() != null;
    if (!segmentLine) {
      LedgerStatus state = r.state();
      if (state == LedgerStatus.OK) {
        ok.incrementAndGet();
      } else if (state == LedgerStatus.FAILED) {
        failed.incrementAndGet();
      } else if (state == LedgerStatus.SKIPPED) {
        skipped.incrementAndGet();
      }
    }
    String key = r.segment() == null ? r.id() : r.id() + "#" + r.segment();
    if (r.state() == LedgerStatus.SENDING) {
      inFlight.add(key);
      sending.incrementAndGet();
    } else {
      inFlight.remove(key);
    }
    if (r.state() != LedgerStatus.SENDING && r.totalTokens() != null && !stitchedItem) {
      tokens.addAndGet(r.totalTokens());
      cost.accumulateAndGet(r.cost(), BigDecimal::add);
    }
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

  public long ok() {
    return ok.get();
  }

  public long failed() {
    return failed.get();
  }

  public long skipped() {
    return skipped.get();
  }

  /** Items settled so far, whatever their status, those finished by earlier runs included. */
  public long done() {
    return ok.get() + failed.get() + skipped.get() + alreadyDone.get();
  }

  /** Requests started (intent lines written). */
  public long sent() {
    return sending.get();
  }

  /** The ledger keys sent and not yet concluded, sorted: what an interrupted run leaves in doubt. */
  public Set<String> inFlightKeys() {
    return new TreeSet<>(inFlight);
  }

  public long tokens() {
    return tokens.get();
  }

  public BigDecimal cost() {
    return cost.get();
  }
}
