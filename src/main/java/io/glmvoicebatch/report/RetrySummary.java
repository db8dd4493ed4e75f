package io.glmvoicebatch.report;

import io.glmvoicebatch.ledger.LedgerRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

  /** Outcome label to its row, "ok" first then failures and skips by name. */
  final Map<String, Row> byOutcome = new TreeMap<>((a, b) -> a.equals("ok") ? (b.equals("ok") ? 0 : -1)
      : b.equals("ok") ? 1 : a.compareTo(b));
  int retriedRequests;
  long extraAttempts;
  double secondsBeforeLastAttempt;

  void add(LedgerRecord r, ReportItem item) {
    if (r.segment() == null && r.segments() != null) {
      return; // a stitched item line: its segments' lines are the requests
    }
    String outcome = switch (item.state()) {
      case "ok" -> "ok";
      case "failed" -> "failed: " + (item.errorCode() == null ? "unknown" : item.errorCode());
      case "skipped" -> "skipped: " + (item.reason() == null ? "unknown" : item.reason());
      default -> item.state();
    };
    Row row = byOutcome.computeIfAbsent(outcome, k -> new Row());
    row.requests++;
    int attempts = r.call().attempts() == null ? 0 : r.call().attempts();
    if (attempts > 1 && !"uncertain".equals(item.state())) {
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
