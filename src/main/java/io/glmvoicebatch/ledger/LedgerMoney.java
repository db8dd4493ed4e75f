package io.glmvoicebatch.ledger;

import io.glmvoicebatch.manifest.IdLines;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a ledger says may have been paid: the one place the summary and the report fold its lines into money.
 *
 * <ul>
 *   <li>Billed: every line that carries tokens, whatever its status, attempt or run (a reply that could not
 *       be stored, an item sent again after its input changed, an earlier run's ok line). A split
 *       recording's item line is left out: it repeats the sum of its segments' lines.
 *   <li>Earlier: the billed lines that are not the last billed line of their item (or segment): money paid
 *       for earlier attempts and runs, part of the billed total, shown apart.
 *   <li>Uncertain: attempts that may have been billed though no reply says so (an {@code uncertain} line
 *       without tokens, or a {@code sending} line still last for its item: a run that died mid-request),
 *       counted at their worst case, prompt + max_tokens ({@code worst_case_tokens} of the intent line), or
 *       the whole {@value #CONTEXT_TOKENS}-token context when an older line does not say.
 * </ul>
 */
public final class LedgerMoney {
  /** The service's context window, prompt and completion together: no request can bill more. */
  static final long CONTEXT_TOKENS = 8192;

  /** The money of one currency's lines. Amounts are exact. */
  public record Spend(long promptTokens, long completionTokens, long totalTokens, BigDecimal billed,
      long earlierTokens, BigDecimal earlier, int uncertainAttempts, long uncertainWorstCaseTokens,
      BigDecimal uncertainWorstCase) {

    public static final Spend NONE = new Spend(0, 0, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, 0, 0, BigDecimal.ZERO);

    /** Billed plus the uncertain attempts' worst case: the most this ledger's requests may have cost. */
    public BigDecimal mayHaveBeenPaid() {
      return billed.add(uncertainWorstCase);
    }

    /** The parts a reader must not mistake for the latest results' cost, or null when there are none. */
    public String breakdown(String currency) {
      List<String> parts = new ArrayList<>();
      if (earlier.signum() != 0 || earlierTokens > 0) {
        parts.add(Cost.format(earlier) + " " + currency + " of it billed for earlier attempts and runs ("
            + earlierTokens + " tokens)");
      }
      if (uncertainAttempts > 0) {
        parts.add("up to " + Cost.format(uncertainWorstCase) + " " + currency + " for " + uncertainAttempts
            + " uncertain attempt(s) at their worst case (" + uncertainWorstCaseTokens + " tokens)");
      }
      return parts.isEmpty() ? null : String.join("; ", parts);
    }

    public Spend plus(Spend o) {
      return new Spend(promptTokens + o.promptTokens, completionTokens + o.completionTokens,
          totalTokens + o.totalTokens, billed.add(o.billed), earlierTokens + o.earlierTokens, earlier.add(o.earlier),
          uncertainAttempts + o.uncertainAttempts, uncertainWorstCaseTokens + o.uncertainWorstCaseTokens,
          uncertainWorstCase.add(o.uncertainWorstCase));
    }
  }

  /**
   * Last line and last billed line (1-based numbers, 0 for none) per item or segment, as compact hash
   * tables rather than maps of strings: a million-item ledger is folded in a few megabytes.
   */
  private final IdLines lastLine = new IdLines();
  private final IdLines lastBilledLine = new IdLines();

  /**
   * An empty fold. Two passes over the ledger's lines in the same order, so a reader of a large ledger
   * can stream it: {@link #index} every line, then {@link #spendOf} every line.
   */
  public LedgerMoney() {}

  /** Pass 1: notes line {@code number} (1-based, increasing). */
  public void index(int number, LedgerRecord r) {
    String key = r.key();
    lastLine.put(key, number);
    if (billed(r)) {
      lastBilledLine.put(key, number);
    }
  }

  /** Pass 2: what line {@code number} adds to the money, or null when it adds nothing. */
  public Spend spendOf(int number, LedgerRecord r) {
    String key = r.key();
    if (billed(r)) {
      BigDecimal cost = cost(r);
      boolean earlier = lastBilledLine.get(key) != number;
      UsageCost u = r.usage();
      return new Spend(nonNull(u.promptTokens()), nonNull(u.completionTokens()), u.totalTokens(), cost,
          earlier ? r.usage().totalTokens() : 0, earlier ? cost : BigDecimal.ZERO, 0, 0, BigDecimal.ZERO);
    }
    return possiblyBilled(r, lastLine.get(key) == number) ? worstCase(r) : null;
  }

  /** Whether line {@code number} (indexed in pass 1) is the last line of its item or segment. */
  public boolean isLast(int number, LedgerRecord r) {
    return lastLine.get(r.key()) == number;
  }

  /**
   * What one line adds to the money read alone, as it is appended: what it says was billed, or an uncertain
   * line's worst case; an intent line adds nothing yet (its outcome follows). Earlier attempts are not told
   * apart: that needs the whole ledger ({@link #spendOf(int, LedgerRecord)}).
   */
  public static Spend spendOf(LedgerRecord r) {
    if (billed(r)) {
      UsageCost u = r.usage();
      return new Spend(nonNull(u.promptTokens()), nonNull(u.completionTokens()), u.totalTokens(), cost(r), 0,
          BigDecimal.ZERO, 0, 0, BigDecimal.ZERO);
    }
    return possiblyBilled(r, false) ? worstCase(r) : null;
  }

  private static Spend worstCase(LedgerRecord r) {
    long worst = r.usage().worstCaseTokens() != null ? r.usage().worstCaseTokens() : CONTEXT_TOKENS;
    return new Spend(0, 0, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, 1, worst, Cost.of(worst, price(r)));
  }

  /** The currency a line's money is in. */
  public static String currencyOf(LedgerRecord r) {
    return r.usage().currency() == null ? Cost.DEFAULT_CURRENCY : r.usage().currency();
  }

  /** Every currency's lines together (a batch has one price and currency). */
  public static Spend of(List<LedgerRecord> lines) {
    Spend all = Spend.NONE;
    for (Spend s : byCurrency(lines).values()) {
      all = all.plus(s);
    }
    return all;
  }

  /** The lines' money per currency, both passes over a list held in memory. */
  public static Map<String, Spend> byCurrency(List<LedgerRecord> lines) {
    LedgerMoney money = new LedgerMoney();
    for (int i = 0; i < lines.size(); i++) {
      money.index(i + 1, lines.get(i));
    }
    Map<String, Spend> out = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Spend line = money.spendOf(i + 1, lines.get(i));
      if (line != null) {
        out.merge(currencyOf(lines.get(i)), line, Spend::plus);
      }
    }
    return out;
  }

  private static boolean billed(LedgerRecord r) {
    return r.usage().totalTokens() != null && !r.place().isStitchedItem() && r.status() != LedgerStatus.ESTIMATE;
  }

  /** An attempt whose outcome nobody saw: marked uncertain, or still in flight as the ledger ends. */
  private static boolean possiblyBilled(LedgerRecord r, boolean lastOfItsKey) {
    return r.status() == LedgerStatus.UNCERTAIN || r.status() == LedgerStatus.SENDING && lastOfItsKey;
  }

  private static BigDecimal cost(LedgerRecord r) {
    if (r.usage().costRmb() != null) {
      try {
        return new BigDecimal(r.usage().costRmb());
      } catch (NumberFormatException e) {
        // a hand-edited cost: the tokens and the line's price still say what was billed
      }
    }
    return Cost.of(r.usage().totalTokens(), price(r));
  }

  private static BigDecimal price(LedgerRecord r) {
    try {
      return r.usage().pricePerMillionTokens() == null ? Cost.DEFAULT_PRICE_PER_MILLION_TOKENS
          : new BigDecimal(r.usage().pricePerMillionTokens());
    } catch (NumberFormatException e) {
      return Cost.DEFAULT_PRICE_PER_MILLION_TOKENS;
    }
  }

  private static long nonNull(Long v) {
    return v == null ? 0 : v;
  }
}
