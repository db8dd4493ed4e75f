package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.RunTally;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** What {@code --dryRun} prints: per item the seconds to send, exact prompt tokens and costs; then totals. */
final class DryRunReport {
  private DryRunReport() {}

  static ExitCode print(LedgerView estimates, List<String> ids, RunTally tally, PrintStream out) {
    out.println("DRY RUN: nothing was sent. Prompt tokens are exact for the audio (ceil(seconds x 12.5)) plus an "
        + "estimate for text; expected cost assumes --expectedCompletionTokens per reply, worst case assumes max_tokens.");
    out.printf(Locale.ROOT, "%-32s %9s %8s %10s %12s %10s %12s%n", "id", "seconds", "prompt", "expected", "exp. cost",
        "worst", "worst cost");
    long prompt = 0;
    long expected = 0;
    long worst = 0;
    double seconds = 0;
    BigDecimal expectedCost = BigDecimal.ZERO;
    BigDecimal worstCost = BigDecimal.ZERO;
    int estimated = 0;
    int failed = 0;
    int skipped = 0;
    String currency = Cost.DEFAULT_CURRENCY;
    java.util.Set<String> wanted = new java.util.HashSet<>(ids);
    for (LedgerRecord r : estimates.latest().values()) {
      if (!wanted.contains(r.id())) {
        continue;
      }
      String id = r.segment() == null ? r.id() : r.id() + " #" + r.segment();
      if (LedgerRecord.ESTIMATE.equals(r.status())) {
        estimated++;
        currency = r.currency();
        out.printf(Locale.ROOT, "%-32s %9.2f %8d %10d %12s %10d %12s%n", id, r.secondsSent(), r.promptTokens(),
            r.totalTokens(), r.costRmb(), r.worstCaseTokens(), r.worstCaseCost());
        prompt += r.promptTokens();
        expected += r.totalTokens();
        worst += r.worstCaseTokens();
        seconds += r.secondsSent();
        expectedCost = expectedCost.add(r.cost());
        worstCost = worstCost.add(new BigDecimal(r.worstCaseCost()));
      } else if (LedgerRecord.FAILED.equals(r.status())) {
        failed++;
        out.printf(Locale.ROOT, "%-32s FAILED %s%n", id, r.error() == null ? "" : r.error().message());
      } else {
        skipped++;
        out.printf(Locale.ROOT, "%-32s SKIPPED %s%n", id, r.reason());
      }
    }
    out.printf(Locale.ROOT, "total: %d items to send (%d already done, %d would fail, %d skipped), %.1f s of audio%n",
        estimated, tally.alreadyDone(), failed, skipped, seconds);
    out.printf(Locale.ROOT, "tokens: %d prompt; expected %d in all, cost %s %s; worst case %d, cost %s %s%n",
        prompt, expected, Cost.format(expectedCost), currency, worst, Cost.format(worstCost), currency);
    return failed > 0 ? ExitCode.SOME_FAILED : ExitCode.ALL_DONE;
  }
}
