package io.glmvoicebatch.report;

import io.glmvoicebatch.ledger.LedgerMoney;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** The batch totals at the top of the report, summed over each item's final state. */
public final class ReportTotals {
  int items;
  int ok;
  int failed;
  int skipped;
  int uncertain;
  int other;
  long promptTokens;
  long completionTokens;
  long totalTokens;
  /** What may have been paid per currency (every billed line, uncertain attempts at worst case); exact. */
  final Map<String, BigDecimal> costByCurrency = new TreeMap<>();
  /** The same money in its parts ({@link LedgerMoney}). */
  final Map<String, LedgerMoney.Spend> spendByCurrency = new TreeMap<>();
  double secondsSent;
  double inputSeconds;
  double replySeconds;
  int simulatedItems;
  final Map<String, Integer> failedByCode = new TreeMap<>();
  final Map<String, Integer> skippedByReason = new TreeMap<>();

  /** One ledger line's tokens and money, as the ledger package folds them ({@link LedgerMoney}). */
  void money(String currency, LedgerMoney.Spend line) {
    promptTokens += line.promptTokens();
    completionTokens += line.completionTokens();
    totalTokens += line.totalTokens();
    LedgerMoney.Spend spend = spendByCurrency.merge(currency, line, LedgerMoney.Spend::plus);
    costByCurrency.put(currency, spend.mayHaveBeenPaid());
  }

  /** The earlier-attempts and uncertain parts of the cost, or null when there are none. */
  String costBreakdown() {
    StringBuilder s = new StringBuilder();
    spendByCurrency.forEach((currency, spend) -> {
      String b = spend.breakdown(currency);
      if (b != null) {
        s.append(s.length() == 0 ? "" : "; ").append(b);
      }
    });
    return s.length() == 0 ? null : s.toString();
  }

  public int items() {
    return items;
  }

  public int ok() {
    return ok;
  }

  public int failed() {
    return failed;
  }

  public int skipped() {
    return skipped;
  }

  public int uncertain() {
    return uncertain;
  }

  public long promptTokens() {
    return promptTokens;
  }

  public long completionTokens() {
    return completionTokens;
  }

  public long totalTokens() {
    return totalTokens;
  }

  public Map<String, BigDecimal> costByCurrency() {
    return costByCurrency;
  }

  public double secondsSent() {
    return secondsSent;
  }

  public int simulatedItems() {
    return simulatedItems;
  }

  public Map<String, Integer> failedByCode() {
    return failedByCode;
  }
}
