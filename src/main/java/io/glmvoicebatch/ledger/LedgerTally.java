package io.glmvoicebatch.ledger;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one fold of ledger lines into counts: items per state, requests, tokens and money. The end summary,
 * the report, the dry-run listing and the live progress line all read their figures from one of these, so
 * they count by the same rules:
 *
 * <ul>
 *   <li>Items: an item's state is its last line's ({@link LedgerStatus#itemState}: an intent line left last
 *       counts as uncertain). A segment line of a split recording is not an item (its item line is). A
 *       status this version does not know counts as {@link LedgerStatus#UNKNOWN}.
 *   <li>Money: as {@link LedgerMoney} folds it (every billed line, earlier attempts and uncertain attempts
 *       apart), per currency.
 *   <li>Requests: intent lines are requests started; an ok or failed line with attempts concludes one.
 *   <li>Estimates: a dry run's {@code estimate} lines, one per request it would send.
 * </ul>
 *
 * <p>Two ways in. A whole ledger is streamed twice: {@link LedgerMoney#index} every line, then
 * {@link #add(LedgerMoney, int, LedgerRecord)} every line (each item's state is taken from its last line).
 * Lines appended while a run goes on are {@link #append}ed one at a time: each is its key's latest so far.
 * Methods are synchronized: the live tally is fed by every worker thread of a run.
 */
public final class LedgerTally {
  /** The service's "too many requests in flight" code. */
  public static final String RATE_LIMITED = "1302";

  private final Map<LedgerStatus, Integer> items = new EnumMap<>(LedgerStatus.class);
  private final Map<String, Integer> failedByCode = new TreeMap<>();
  private final Map<String, Integer> skippedByReason = new TreeMap<>();
  private double okSecondsSent;
  private double okInputSeconds;
  private double okReplySeconds;
  private int simulatedItems;
  private String currency;
  private final Map<String, LedgerMoney.Spend> spendByCurrency = new TreeMap<>();
  private long requestsStarted;
  private long requestsConcluded;
  private long requestsOk;
  private long requestsRateLimited;
  private long requestMillis;
  private Estimate estimate = Estimate.NONE;

  /** What a dry run's estimate lines add up to. Amounts are exact. */
  public record Estimate(int requests, long promptTokens, long expectedTokens, long worstCaseTokens, double seconds,
      BigDecimal expectedCost, BigDecimal worstCaseCost) {
    static final Estimate NONE = new Estimate(0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

    Estimate plus(LedgerRecord r) {
      return new Estimate(requests + 1, promptTokens + nonNull(r.usage().promptTokens()),
          expectedTokens + nonNull(r.usage().totalTokens()), worstCaseTokens + nonNull(r.usage().worstCaseTokens()),
          seconds + (r.input().secondsSent() == null ? 0 : r.input().secondsSent()), expectedCost.add(r.usage().cost()),
          r.usage().worstCaseCost() == null ? worstCaseCost
              : worstCaseCost.add(new BigDecimal(r.usage().worstCaseCost())));
    }
  }

  /**
   * Pass 2 of a whole ledger ({@code index} holds pass 1): line {@code n}'s money and request, and its
   * item's state when it is the item's last line.
   */
  public synchronized void add(LedgerMoney index, int n, LedgerRecord r) {
    LedgerMoney.Spend spend = index.spendOf(n, r);
    if (spend != null) {
      addSpend(r, spend);
    }
    request(r);
    if (index.isLast(n, r)) {
      settle(r, r.status().itemState());
    }
  }

  /**
   * A line appended now, its key's latest so far: an intent line is a request in flight (not yet an item's
   * state); any other line settles its item. Its money is what the line itself says was paid, or may have
   * been for an uncertain line.
   */
  public synchronized void append(LedgerRecord r) {
    request(r);
    LedgerMoney.Spend spend = LedgerMoney.spendOf(r);
    if (spend != null) {
      addSpend(r, spend);
    }
    if (r.status() != LedgerStatus.SENDING) {
      settle(r, r.status());
    }
  }

  private void addSpend(LedgerRecord r, LedgerMoney.Spend spend) {
    spendByCurrency.merge(LedgerMoney.currencyOf(r), spend, LedgerMoney.Spend::plus);
  }

  private void request(LedgerRecord r) {
    LedgerStatus state = r.status();
    if (state == LedgerStatus.SENDING) {
      requestsStarted++;
    } else if (r.call().attempts() != null && (state == LedgerStatus.OK || state == LedgerStatus.FAILED)) {
      requestsConcluded++;
      requestsOk += state == LedgerStatus.OK ? 1 : 0;
      requestsRateLimited += r.error() != null && RATE_LIMITED.equals(r.error().code()) ? 1 : 0;
      requestMillis += nonNull(r.call().latencyMs());
    }
  }

  /**
   * Counts what {@code r}, the latest line of its key, says: an estimate (one request a dry run would send,
   * a segment's too); else its item's {@code state} (a segment line is not an item).
   */
  private void settle(LedgerRecord r, LedgerStatus state) {
    if (r.usage().currency() != null && (state == LedgerStatus.ESTIMATE || r.segment() == null)) {
      currency = r.usage().currency();
    }
    if (state == LedgerStatus.ESTIMATE) {
      estimate = estimate.plus(r);
      return;
    }
    if (r.place().isSegment()) {
      return;
    }
    items.merge(state, 1, Integer::sum);
    if (state == LedgerStatus.FAILED) {
      String code = r.error() == null || r.error().code() == null ? "unknown" : r.error().code();
      failedByCode.merge(code, 1, Integer::sum);
    } else if (state == LedgerStatus.SKIPPED) {
      skippedByReason.merge(r.reason() == null ? "unknown" : r.reason(), 1, Integer::sum);
    } else if (state == LedgerStatus.OK) {
      okSecondsSent += r.input().secondsSent() == null ? 0 : r.input().secondsSent();
      okInputSeconds += r.input().seconds() == null ? 0 : r.input().seconds();
      okReplySeconds += r.reply().replySeconds() == null ? 0 : r.reply().replySeconds();
    }
    if (Boolean.TRUE.equals(r.call().simulated())) {
      simulatedItems++;
    }
  }

  /** Items whose state is {@code state} ({@link LedgerStatus#SENDING} never: a last intent is uncertain). */
  public synchronized int count(LedgerStatus state) {
    return items.getOrDefault(state, 0);
  }

  public int ok() {
    return count(LedgerStatus.OK);
  }

  public int failed() {
    return count(LedgerStatus.FAILED);
  }

  public int skipped() {
    return count(LedgerStatus.SKIPPED);
  }

  public int uncertain() {
    return count(LedgerStatus.UNCERTAIN);
  }

  /** Items whose last line has a status this version does not know (a newer version wrote it). */
  public int unknown() {
    return count(LedgerStatus.UNKNOWN);
  }

  /** Every item counted, whatever its state. */
  public synchronized int items() {
    return items.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Failed items per error code ("unknown" when the line has none). */
  public synchronized Map<String, Integer> failedByCode() {
    return Collections.unmodifiableMap(new TreeMap<>(failedByCode));
  }

  /** Skipped items per reason ("unknown" when the line has none). */
  public synchronized Map<String, Integer> skippedByReason() {
    return Collections.unmodifiableMap(new TreeMap<>(skippedByReason));
  }

  /** Seconds of audio sent for the ok items. */
  public synchronized double okSecondsSent() {
    return okSecondsSent;
  }

  /** Seconds of the ok items' input recordings. */
  public synchronized double okInputSeconds() {
    return okInputSeconds;
  }

  /** Seconds of the ok items' replies. */
  public synchronized double okReplySeconds() {
    return okReplySeconds;
  }

  /** Items answered by the simulator. */
  public synchronized int simulatedItems() {
    return simulatedItems;
  }

  /** The currency of the items' lines (the last that names one), or the default. */
  public synchronized String currency() {
    return currency == null ? Cost.DEFAULT_CURRENCY : currency;
  }

  /** The money of every currency together (a batch has one price and currency). */
  public synchronized LedgerMoney.Spend spend() {
    LedgerMoney.Spend all = LedgerMoney.Spend.NONE;
    for (LedgerMoney.Spend s : spendByCurrency.values()) {
      all = all.plus(s);
    }
    return all;
  }

  /** The money per currency. */
  public synchronized Map<String, LedgerMoney.Spend> spendByCurrency() {
    return Collections.unmodifiableMap(new TreeMap<>(spendByCurrency));
  }

  /** What may have been paid per currency: every billed line, plus uncertain attempts at their worst case. */
  public synchronized Map<String, BigDecimal> costByCurrency() {
    Map<String, BigDecimal> out = new TreeMap<>();
    spendByCurrency.forEach((c, s) -> out.put(c, s.mayHaveBeenPaid()));
    return Collections.unmodifiableMap(out);
  }

  /** Requests started (intent lines). */
  public synchronized long requestsStarted() {
    return requestsStarted;
  }

  /** Requests concluded (ok or failed lines of an attempt). */
  public synchronized long requestsConcluded() {
    return requestsConcluded;
  }

  /** Requests concluded ok. */
  public synchronized long requestsOk() {
    return requestsOk;
  }

  /** Requests that ended in the service's 1302 (too many requests in flight) after every retry. */
  public synchronized long requestsRateLimited() {
    return requestsRateLimited;
  }

  /** The concluded requests' latencies summed: the time they held a slot. */
  public synchronized long requestMillis() {
    return requestMillis;
  }

  /** What the estimate lines add up to (a dry run's). */
  public synchronized Estimate estimate() {
    return estimate;
  }

  private static long nonNull(Long v) {
    return v == null ? 0 : v;
  }
}
