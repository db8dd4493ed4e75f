package io.glmvoicebatch.report;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What went wrong, and what it cost: per final outcome (ok, or each failure code, or each skip reason),
 * how many requests concluded so, how many of them needed retries, the extra attempts, and the time
 * those took. Counted over requests, so a split recording counts once per segment sent.
 *
 * <p>The ledger times an item from its start to its conclusion and gives the latency of the last
 * attempt only, so the time of earlier attempts is the difference: it includes the back-off between
 * attempts and, when the client's slots were all taken, waiting for one.
 */
final class RetrySummary {
  static final class Row {
    int requests;
    int retried;
    long extraAttempts;
    double secondsBeforeLastAttempt;
  }

  /** A final outcome: the item's state and, for a failure or skip, its code or reason. */
  record Outcome(LedgerStatus state, String detail) {
    /** "ok", "failed: http_500", "skipped: no_speech", "uncertain". */
    String label() {
      return detail == null ? state.wire() : state.wire() + ": " + detail;
    }
  }

  /** Outcome to its row: ok first, then failed, skipped, uncertain (the enum's order), each by code or reason. */
  final Map<Outcome, Row> byOutcome = new TreeMap<>(Comparator.comparing(Outcome::state)
      .thenComparing(Outcome::detail, Comparator.nullsFirst(Comparator.naturalOrder())));
  int retriedRequests;
  long extraAttempts;
  double secondsBeforeLastAttempt;

  void add(LedgerRecord r, ReportItem item) {
    if (r.segment() == null && r.segments() != null) {
      return; // a stitched item line: its segments' lines are the requests
    }
    LedgerStatus state = r.status().itemState();
    Outcome outcome = switch (state) {
      case FAILED -> new Outcome(state, item.errorCode() == null ? "unknown" : item.errorCode());
      case SKIPPED -> new Outcome(state, item.reason() == null ? "unknown" : item.reason());
      default -> new Outcome(state, null);
    };
    Row row = byOutcome.computeIfAbsent(outcome, k -> new Row());
    row.requests++;
    int attempts = r.call().attempts() == null ? 0 : r.call().attempts();
    if (attempts > 1 && state != LedgerStatus.UNCERTAIN) {
      row.retried++;
      row.extraAttempts += attempts - 1;
      retriedRequests++;
      extraAttempts += attempts - 1;
      double s = secondsBeforeLastAttempt(r);
      row.secondsBeforeLastAttempt += s;
      secondsBeforeLastAttempt += s;
    }
  }

  private static double secondsBeforeLastAttempt(LedgerRecord r) {
    if (r.call().startedAt() == null || r.call().finishedAt() == null) {
      return 0;
    }
    try {
      long ms = Duration.between(Instant.parse(r.call().startedAt()), Instant.parse(r.call().finishedAt())).toMillis()
          - (r.call().latencyMs() == null ? 0 : r.call().latencyMs());
      return Math.max(0, ms) / 1000.0;
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
