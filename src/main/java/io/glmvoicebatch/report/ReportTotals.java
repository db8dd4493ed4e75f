package io.glmvoicebatch.report;

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
  /** Cost per currency, exact; almost always a single currency. */
  final Map<String, BigDecimal> costByCurrency = new TreeMap<>();
  double secondsSent;
  double inputSeconds;
  double replySeconds;
  int simulatedItems;
  final Map<String, Integer> failedByCode = new TreeMap<>();
  final Map<String, Integer> skippedByReason = new TreeMap<>();

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
