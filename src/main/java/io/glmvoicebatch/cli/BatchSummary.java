package io.glmvoicebatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerMoney;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-of-batch figures, computed from the ledger itself (the final state of each manifest item), so
 * the summary can never disagree with the lines it sums.
 */
public final class BatchSummary {
  /** The service's "too many requests in flight" code. */
  static final String RATE_LIMITED = "1302";
  private int ok;
  private int failed;
  private int skipped;
  private int uncertain;
  private LedgerMoney.Spend spend = LedgerMoney.Spend.NONE;
  private double secondsSent;
  private final Map<String, Integer> failedByCode = new TreeMap<>();
  private final Map<String, Integer> skippedByReason = new TreeMap<>();
  private int alreadyDone;
  private Duration wallTime = Duration.ZERO;
  private boolean simulated;
  private String currency = Cost.DEFAULT_CURRENCY;
  private String stopReason;
  private int requestsThisRun;
  private long tokensThisRun;
  private BigDecimal costThisRun = BigDecimal.ZERO;
  private long busyMillisThisRun;
  private int cap;
  private List<String> uncertainFromLastRun = List.of();
  private int otherManifestItems;
  private int okThisRun;
  private int rateLimitedThisRun;

  /** Sums the final state of each of {@code ids} in {@code view}. */
  public static BatchSummary of(LedgerView view, Collection<String> ids) {
    BatchSummary s = empty();
    Map<String, LedgerRecord> latest = view.latest();
    for (String id : ids) {
      LedgerRecord r = latest.get(id);
      if (r != null) {
        s.addFinalState(r);
      }
    }
    // Money is every line of these items, not their last: earlier attempts and runs were paid too.
    java.util.Set<String> wanted = new java.util.HashSet<>(ids);
    s.spend = LedgerMoney.of(view.lines().stream().filter(r -> wanted.contains(r.id())).toList());
    return s;
  }

  /** Nothing summed yet: for a streaming fold over the ledger. */
  public static BatchSummary empty() {
    return new BatchSummary();
  }

  /** Sums one item's final state (its last ledger line). */
  public void addFinalState(LedgerRecord r) {
    if (r.currency() != null) {
      currency = r.currency();
    }
    LedgerStatus state = r.state() == null ? null : r.state().itemState();
    if (state == LedgerStatus.OK) {
      ok++;
    } else if (state == LedgerStatus.FAILED) {
      failed++;
      failedByCode.merge(r.error() == null ? "unknown" : r.error().code(), 1, Integer::sum);
    } else if (state == LedgerStatus.SKIPPED) {
      skipped++;
      skippedByReason.merge(r.reason() == null ? "unknown" : r.reason(), 1, Integer::sum);
    } else if (state == LedgerStatus.UNCERTAIN) {
      uncertain++;
    }
    if (r.secondsSent() != null && r.isOk()) {
      secondsSent += r.secondsSent();
    }
  }

  /** Adds one ledger line's money ({@link LedgerMoney#spendOf}): every line counts, not only the last. */
  public void addSpend(LedgerMoney.Spend line) {
    spend = spend.plus(line);
  }

  /**
   * Adds what this run itself did, from the ledger lines it appended: requests concluded, their tokens and
   * cost, and the effective slot use (time requests held a slot / (wall time x cap)).
   */
  public BatchSummary thisRun(List<LedgerRecord> appended, int cap) {
    this.cap = cap;
    appended.forEach(this::addThisRun);
    return this;
  }

  /** Adds one ledger line this run appended (see {@link #thisRun}); set the cap with {@link #thisRun}. */
  public void addThisRun(LedgerRecord r) {
    if (r.attempts() != null && (r.isOk() || LedgerRecord.FAILED.equals(r.status()))) {
      requestsThisRun++;
      okThisRun += r.isOk() ? 1 : 0;
      rateLimitedThisRun += r.error() != null && RATE_LIMITED.equals(r.error().code()) ? 1 : 0;
      if (r.totalTokens() != null) {
        tokensThisRun += r.totalTokens();
        costThisRun = costThisRun.add(r.cost());
      }
      busyMillisThisRun += r.latencyMs() == null ? 0 : r.latencyMs();
    }
  }

  public BatchSummary uncertainFromLastRun(List<String> ids) {
    this.uncertainFromLastRun = List.copyOf(ids);
    return this;
  }

  /** Share of the cap's slot time that requests actually used this run (1.0 = every slot always busy). */
  public double slotUse() {
    long wallMillis = wallTime.toMillis();
    return wallMillis <= 0 || cap <= 0 ? 0 : (double) busyMillisThisRun / (wallMillis * (double) cap);
  }

  public BigDecimal costThisRun() {
    return costThisRun;
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

  /** Tokens of every billed line of these items (earlier attempts and runs included). */
  public long totalTokens() {
    return spend.totalTokens();
  }

  public LedgerMoney.Spend spend() {
    return spend;
  }

  /** What may have been paid for these items: every billed line, plus uncertain attempts at their worst case. */
  public BigDecimal cost() {
    return spend.mayHaveBeenPaid();
  }

  public String stopReason() {
    return stopReason;
  }

  /** Requests concluded per minute over the wall time of this run. */
  public double itemsPerMinute() {
    double minutes = wallTime.toMillis() / 60000.0;
    return minutes <= 0 ? 0 : requestsThisRun / minutes;
  }

  /**
   * When no request of this run got through and some ended in 1302 after every retry, the account's real
   * concurrency limit is likely lower than the cap the run assumed (its tier).
   */
  String rateLimitHint() {
    if (okThisRun > 0 || rateLimitedThisRun == 0) {
      return null;
    }
    return String.format("RATE LIMITED: %d of this run's %d requests ended in 1302 (too many requests in flight) "
        + "after every retry and none succeeded: the account's concurrency limit may be lower than the %d this run "
        + "sent at once. Lower --tier, or set --maxInFlight to the limit your account shows", rateLimitedThisRun,
        requestsThisRun, cap);
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    if (simulated) {
      sb.append("SIMULATED: outputs are synthetic (no API key; the embedded GLM-4-Voice simulator answered)\n");
    }
    sb.append(String.format("items: %d ok, %d failed, %d skipped, %d uncertain%s%n", ok, failed, skipped, uncertain,
        alreadyDone > 0 ? " (" + alreadyDone + " already done in an earlier run, not sent again)" : ""));
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
    sb.append(String.format("this run: %d requests concluded, %d tokens, cost %s %s; wall time %.1f s; %.1f items/min; "
        + "slot use %.2f of %d%n", requestsThisRun, tokensThisRun, Cost.format(costThisRun), currency,
        wallTime.toMillis() / 1000.0, itemsPerMinute(), slotUse(), cap));
    sb.append(String.format("audio sent (ok items): %.1f s%n", secondsSent));
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
    n.put("simulated", simulated);
    n.put("ok", ok);
    n.put("failed", failed);
    n.put("skipped", skipped);
    n.put("uncertain", uncertain);
    n.put("already_done", alreadyDone);
    n.set("failed_by_code", mapper.valueToTree(failedByCode));
    n.set("skipped_by_reason", mapper.valueToTree(skippedByReason));
    n.put("prompt_tokens", spend.promptTokens());
    n.put("completion_tokens", spend.completionTokens());
    n.put("total_tokens", spend.totalTokens());
    n.put("cost", Cost.format(cost()));
    n.put("cost_billed", Cost.format(spend.billed()));
    n.put("cost_earlier_attempts", Cost.format(spend.earlier()));
    n.put("uncertain_attempts", spend.uncertainAttempts());
    n.put("cost_uncertain_worst_case", Cost.format(spend.uncertainWorstCase()));
    n.put("currency", currency);
    n.put("seconds_sent", secondsSent);
    n.put("wall_seconds", wallTime.toMillis() / 1000.0);
    n.put("items_per_minute", itemsPerMinute());
    n.put("stop_reason", stopReason);
    n.put("requests_this_run", requestsThisRun);
    n.put("tokens_this_run", tokensThisRun);
    n.put("cost_this_run", Cost.format(costThisRun));
    n.put("slot_use", slotUse());
    n.put("max_in_flight", cap);
    n.set("uncertain_from_last_run", mapper.valueToTree(uncertainFromLastRun));
    n.put("other_manifest_items", otherManifestItems);
    return mapper.writeValueAsString(n);
  }
}
