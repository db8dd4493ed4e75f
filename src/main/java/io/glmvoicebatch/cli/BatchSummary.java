package io.glmvoicebatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerMoney;
import io.glmvoicebatch.ledger.LedgerTally;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The end-of-batch figures, computed from the ledger itself (the final state of each manifest item), so
 * the summary can never disagree with the lines it sums.
 */
public final class BatchSummary {
  /** The manifest's items: each one's final state, and the money of all their lines. */
  private final LedgerTally items;
  /** The lines this run appended. */
  private final LedgerTally thisRun;
  private int alreadyDone;
  private Duration wallTime = Duration.ZERO;
  private boolean simulated;
  private String stopReason;
  private int cap;
  private List<String> uncertainFromLastRun = List.of();
  private int otherManifestItems;

  /**
   * The summary of {@code items} (the manifest's items over the whole ledger) and {@code thisRun} (the
   * lines this run appended), with {@code cap} requests in flight at most.
   */
  BatchSummary(LedgerTally items, LedgerTally thisRun, int cap) {
    this.items = items;
    this.thisRun = thisRun;
    this.cap = cap;
  }

  public BatchSummary uncertainFromLastRun(List<String> ids) {
    this.uncertainFromLastRun = List.copyOf(ids);
    return this;
  }

  /** Share of the cap's slot time that requests actually used this run (1.0 = every slot always busy). */
  public double slotUse() {
    long wallMillis = wallTime.toMillis();
    return wallMillis <= 0 || cap <= 0 ? 0 : (double) thisRun.requestMillis() / (wallMillis * (double) cap);
  }

  /** What this run's lines say was billed. */
  public BigDecimal costThisRun() {
    return thisRun.spend().billed();
  }

  /** Items of the folder that belong to other manifests (earlier runs): not counted here, but there. */
  public BatchSummary otherManifestItems(int n) {
    this.otherManifestItems = n;
    return this;
  }

  public BatchSummary wallTime(Duration d) {
    this.wallTime = d;
    return this;
  }

  public BatchSummary simulated(boolean simulated) {
    this.simulated = simulated;
    return this;
  }

  public BatchSummary alreadyDone(int n) {
    this.alreadyDone = n;
    return this;
  }

  public BatchSummary stopReason(String reason) {
    this.stopReason = reason;
    return this;
  }

  public int ok() {
    return items.ok();
  }

  public int failed() {
    return items.failed();
  }

  public int skipped() {
    return items.skipped();
  }

  public int uncertain() {
    return items.uncertain();
  }

  /** Tokens of every billed line of these items (earlier attempts and runs included). */
  public long totalTokens() {
    return items.spend().totalTokens();
  }

  public LedgerMoney.Spend spend() {
    return items.spend();
  }

  /** What may have been paid for these items: every billed line, plus uncertain attempts at their worst case. */
  public BigDecimal cost() {
    return items.spend().mayHaveBeenPaid();
  }

  public String stopReason() {
    return stopReason;
  }

  /** Requests concluded per minute over the wall time of this run. */
  public double itemsPerMinute() {
    double minutes = wallTime.toMillis() / 60000.0;
    return minutes <= 0 ? 0 : thisRun.requestsConcluded() / minutes;
  }

  /**
   * When no request of this run got through and some ended in 1302 after every retry, the account's real
   * concurrency limit is likely lower than the cap the run assumed (its tier).
   */
  String rateLimitHint() {
    if (thisRun.requestsOk() > 0 || thisRun.requestsRateLimited() == 0) {
      return null;
    }
    return String.format("RATE LIMITED: %d of this run's %d requests ended in 1302 (too many requests in flight) "
        + "after every retry and none succeeded: the account's concurrency limit may be lower than the %d this run "
        + "sent at once. Lower --tier, or set --maxInFlight to the limit your account shows",
        thisRun.requestsRateLimited(), thisRun.requestsConcluded(), cap);
  }

  public String render() {
    String currency = items.currency();
    LedgerMoney.Spend spend = items.spend();
    Map<String, Integer> failedByCode = items.failedByCode();
    Map<String, Integer> skippedByReason = items.skippedByReason();
    StringBuilder sb = new StringBuilder();
    if (simulated) {
      sb.append("SIMULATED: outputs are synthetic (no API key; the embedded simulator answered)\n");
    }
    sb.append(String.format("items: %d ok, %d failed, %d skipped, %d uncertain%s%n", ok(), failed(), skipped(),
        uncertain(), alreadyDone > 0 ? " (" + alreadyDone + " already done in an earlier run, not sent again)" : ""));
    if (!failedByCode.isEmpty()) {
      sb.append("failed by code: ").append(failedByCode).append('\n');
    }
    if (!skippedByReason.isEmpty()) {
      sb.append("skipped by reason: ").append(skippedByReason).append('\n');
    }
    String breakdown = spend.breakdown(currency);
    sb.append(String.format("tokens: %d in, %d out, %d total; cost %s %s%s%n", spend.promptTokens(),
        spend.completionTokens(), spend.totalTokens(), Cost.format(cost()), currency,
        breakdown == null ? "" : " (" + breakdown + ")"));
    // Two lines, so each fits an 80-column terminal whatever the counts.
    sb.append(String.format("this run: %d requests concluded, %d tokens, cost %s %s%n", thisRun.requestsConcluded(),
        thisRun.spend().totalTokens(), Cost.format(costThisRun()), currency));
    sb.append(String.format("time: wall %.1f s; %.1f items/min; slot use %.2f of %d%n",
        wallTime.toMillis() / 1000.0, itemsPerMinute(), slotUse(), cap));
    sb.append(String.format("audio sent (ok items): %.1f s%n", items.okSecondsSent()));
    if (!uncertainFromLastRun.isEmpty()) {
      sb.append("uncertain from the previous run (in flight when it stopped, may have been billed): ")
          .append(uncertainFromLastRun).append('\n');
    }
    String limitHint = rateLimitHint();
    if (limitHint != null) {
      sb.append(limitHint).append('\n');
    }
    if (stopReason != null) {
      sb.append("STOPPED EARLY: ").append(stopReason).append('\n');
    }
    return sb.toString();
  }

  /** summary.json's content. */
  public String toJson() throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode n = mapper.createObjectNode();
    LedgerMoney.Spend spend = items.spend();
    n.put("simulated", simulated);
    n.put("ok", ok());
    n.put("failed", failed());
    n.put("skipped", skipped());
    n.put("uncertain", uncertain());
    n.put("already_done", alreadyDone);
    n.set("failed_by_code", mapper.valueToTree(items.failedByCode()));
    n.set("skipped_by_reason", mapper.valueToTree(items.skippedByReason()));
    n.put("prompt_tokens", spend.promptTokens());
    n.put("completion_tokens", spend.completionTokens());
    n.put("total_tokens", spend.totalTokens());
    n.put("cost", Cost.format(cost()));
    n.put("cost_billed", Cost.format(spend.billed()));
    n.put("cost_earlier_attempts", Cost.format(spend.earlier()));
    n.put("uncertain_attempts", spend.uncertainAttempts());
    n.put("cost_uncertain_worst_case", Cost.format(spend.uncertainWorstCase()));
    n.put("currency", items.currency());
    n.put("seconds_sent", items.okSecondsSent());
    n.put("wall_seconds", wallTime.toMillis() / 1000.0);
    n.put("items_per_minute", itemsPerMinute());
    n.put("stop_reason", stopReason);
    n.put("requests_this_run", thisRun.requestsConcluded());
    n.put("tokens_this_run", thisRun.spend().totalTokens());
    n.put("cost_this_run", Cost.format(costThisRun()));
    n.put("slot_use", slotUse());
    n.put("max_in_flight", cap);
    n.set("uncertain_from_last_run", mapper.valueToTree(uncertainFromLastRun));
    n.put("other_manifest_items", otherManifestItems);
    return mapper.writeValueAsString(n);
  }
}
