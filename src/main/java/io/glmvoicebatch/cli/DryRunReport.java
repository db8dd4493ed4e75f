package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerMoney;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerTally;
import io.glmvoicebatch.ledger.RunTally;
import io.glmvoicebatch.ledger.UsageCost;
import io.glmvoicebatch.manifest.IdLines;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/** What {@code --dryRun} prints: per item the seconds to send, exact prompt tokens and costs; then totals. */
final class DryRunReport {
  private DryRunReport() {}

  /**
   * Streams the estimate file twice (each key's last line, then those lines in order) so a dry run of a
   * million items holds a compact id table, not their records.
   */
  static ExitCode print(LedgerLocation estimates, IdLines wanted, RunTally tally, PrintStream out,
      Consumer<String> unreadable) throws IOException {
    out.println("DRY RUN: nothing was sent. Prompt tokens are exact for the audio (ceil(seconds x 12.5)) plus an "
        + "estimate for text; expected cost assumes --expectedCompletionTokens per reply, worst case assumes max_tokens.");
    out.printf(Locale.ROOT, "%-32s %9s %8s %10s %12s %10s %12s%n", "id", "seconds", "prompt", "expected", "exp. cost",
        "worst", "worst cost");
    LedgerMoney index = new LedgerMoney();
    estimates.forEachLine((n, r, bad) -> {
      if (r != null) {
        index.index(n, r);
      } else {
        unreadable.accept(bad);
      }
    });
    LedgerTally t = new LedgerTally();
    estimates.forEachLine((n, r, bad) -> {
      if (r != null && wanted.contains(r.id())) {
        t.add(index, n, r);
        if (index.isLast(n, r)) {
          row(r, out);
        }
      }
    });
    LedgerTally.Estimate e = t.estimate();
    String currency = t.currency();
    out.printf(Locale.ROOT, "total: %d items to send (%d already done, %d would fail, %d skipped), %.1f s of audio%n",
        e.requests(), tally.alreadyDone(), t.failed(), t.skipped(), e.seconds());
    out.printf(Locale.ROOT, "tokens: %d prompt; expected %d in all, cost %s %s; worst case %d, cost %s %s%n",
        e.promptTokens(), e.expectedTokens(), Cost.format(e.expectedCost()), currency, e.worstCaseTokens(),
        Cost.format(e.worstCaseCost()), currency);
    return t.failed() > 0 ? ExitCode.SOME_FAILED : ExitCode.ALL_DONE;
  }

  /** One final line of the estimate file as a row of the listing. */
  private static void row(LedgerRecord r, PrintStream out) {
    String id = r.segment() == null ? r.id() : r.id() + " #" + r.segment();
    if (r.status() == LedgerStatus.ESTIMATE) {
      UsageCost u = r.usage();
      out.printf(Locale.ROOT, "%-32s %9.2f %8d %10d %12s %10d %12s%n", id, r.input().secondsSent(), u.promptTokens(),
          u.totalTokens(), u.costRmb(), u.worstCaseTokens(), u.worstCaseCost());
    } else if (r.status() == LedgerStatus.FAILED) {
      out.printf(Locale.ROOT, "%-32s FAILED %s%n", id, r.error() == null ? "" : r.error().message());
    } else {
      out.printf(Locale.ROOT, "%-32s SKIPPED %s%n", id, r.reason());
    }
  }
}
