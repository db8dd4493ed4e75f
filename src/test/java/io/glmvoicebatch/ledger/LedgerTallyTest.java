package io.glmvoicebatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one tally over ledger lines as they are on disk: a committed ledger of an earlier version, a line of
 * the first ledger format (no worst case, prompt, audio as sent), an intent line left last, a split
 * recording's segment lines and its item line, and a status a newer version may write.
 */
class LedgerTallyTest {
  private static final BigDecimal PRICE = new BigDecimal("80");

  /** Lines of the first ledger format: only the keys it had. */
  private static final String OLD_FAILED = "{\"id\":\"c\",\"segment\":null,\"status\":\"failed\",\"reason\":null,"
      + "\"manifest_line\":3,\"request_id\":\"gvb-c\",\"request_ids\":[\"gvb-c\"],\"response_id\":null,"
      + "\"prompt_tokens\":null,\"completion_tokens\":null,\"total_tokens\":null,\"cost_rmb\":null,"
      + "\"price_per_million_tokens\":\"80\",\"currency\":\"RMB\",\"error\":{\"code\":\"1301\",\"http_status\":400,"
      + "\"message\":\"item 'c': unsafe content\"},\"attempts\":1,\"input_audio\":\"clips/c.wav\",\"input_sha256\":null,"
      + "\"fingerprint\":null,\"input_format\":null,\"input_seconds\":2.0,\"seconds_sent\":2.0,\"gain_db\":null,"
      + "\"warnings\":null,\"output_audio\":null,\"output_text\":null,\"reply_seconds\":null,\"reply_wire_form\":null,"
      + "\"finish_reason\":null,\"started_at\":null,\"finished_at\":null,\"latency_ms\":400,\"simulated\":false}";

  /** A committed ledger (resume-v1: three intent lines, then three ok lines), then more runs' lines. */
  private static List<LedgerRecord> ledger() throws IOException {
    List<String> text = new ArrayList<>(Files.readAllLines(Path.of("src/test/resources/resume-v1/ledger.jsonl"),
        StandardCharsets.UTF_8));
    text.add(OLD_FAILED);
    text.add("{\"id\":\"b\",\"status\":\"sending\",\"attempts\":1,\"worst_case_tokens\":1300,"
        + "\"price_per_million_tokens\":\"80\",\"currency\":\"RMB\"}");
    text.add("{\"id\":\"d\",\"status\":\"skipped\",\"reason\":\"no speech\"}");
    // a split recording: two billed segments, then the item line that repeats their sum
    text.add("{\"id\":\"e\",\"segment\":0,\"segments\":2,\"status\":\"ok\",\"attempts\":2,\"latency_ms\":100,"
        + "\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,\"cost_rmb\":\"0.0012\","
        + "\"price_per_million_tokens\":\"80\",\"currency\":\"RMB\",\"seconds_sent\":30.0}");
    text.add("{\"id\":\"e\",\"segment\":1,\"segments\":2,\"status\":\"ok\",\"attempts\":1,\"latency_ms\":200,"
        + "\"prompt_tokens\":20,\"completion_tokens\":5,\"total_tokens\":25,\"cost_rmb\":\"0.002\","
        + "\"price_per_million_tokens\":\"80\",\"currency\":\"RMB\",\"seconds_sent\":20.0}");
    text.add("{\"id\":\"e\",\"segments\":2,\"status\":\"ok\",\"prompt_tokens\":30,\"completion_tokens\":10,"
        + "\"total_tokens\":40,\"cost_rmb\":\"0.0032\",\"price_per_million_tokens\":\"80\",\"currency\":\"RMB\","
        + "\"seconds_sent\":50.0,\"reply_seconds\":9.0}");
    // a rate-limited failure, a failure without an error, and a status this version does not know
    text.add("{\"id\":\"g\",\"status\":\"failed\",\"attempts\":4,\"error\":{\"code\":\"1302\",\"http_status\":429,"
        + "\"message\":\"too many\"},\"latency_ms\":50}");
    text.add("{\"id\":\"h\",\"status\":\"failed\",\"error\":null}");
    text.add("{\"id\":\"q\",\"status\":\"queued\"}");
    LedgerView view = LedgerView.of(text);
    assertEquals(List.of(), view.unreadableLines());
    return view.lines();
  }

  private static LedgerTally wholeLedger(List<LedgerRecord> lines) {
    LedgerMoney index = new LedgerMoney();
    for (int i = 0; i < lines.size(); i++) {
      index.index(i + 1, lines.get(i));
    }
    LedgerTally t = new LedgerTally();
    for (int i = 0; i < lines.size(); i++) {
      t.add(index, i + 1, lines.get(i));
    }
    return t;
  }

  @Test
  void eachItemCountsOnceByItsLastLine() throws IOException {
    LedgerTally t = wholeLedger(ledger());
    // ok: the three resume-v1 items and the split recording (its item line, not its two segments)
    assertEquals(4, t.ok());
    assertEquals(2 + 1, t.failed(), "c (first ledger format), g and h");
    assertEquals(Map.of("1301", 1, "1302", 1, "unknown", 1), t.failedByCode());
    assertEquals(1, t.skipped());
    assertEquals(Map.of("no speech", 1), t.skippedByReason());
    assertEquals(1, t.uncertain(), "b's intent line is its last: sent, outcome unknown");
    assertEquals(0, t.count(LedgerStatus.SENDING));
    assertEquals(1, t.unknown(), "a status from a newer version is not dropped");
    assertEquals(4 + 3 + 1 + 1 + 1, t.items());
    assertEquals(2.54 + 3.0 + 3.1894375 + 50.0, t.okSecondsSent(), 1e-9, "ok items' audio, the split item once");
    double v1Replies = ledger().stream().limit(6).filter(LedgerRecord::isOk).mapToDouble(r -> r.reply().replySeconds())
        .sum();
    assertEquals(v1Replies + 9.0, t.okReplySeconds(), 1e-9);
  }

  @Test
  void moneyCountsEveryBilledLineOnceAndTheIntentLeftLastAtItsWorstCase() throws IOException {
    List<LedgerRecord> lines = ledger();
    LedgerTally t = wholeLedger(lines);
    long v1 = lines.stream().limit(6).filter(r -> r.usage().totalTokens() != null).mapToLong(r -> r.usage().totalTokens()).sum();
    long billed = v1 + 15 + 25; // the split item's line repeats its segments' sum: not again
    assertEquals(billed, t.spend().totalTokens());
    assertEquals(0, Cost.of(billed, PRICE).compareTo(t.spend().billed()));
    assertEquals(1, t.spend().uncertainAttempts());
    assertEquals(1300, t.spend().uncertainWorstCaseTokens());
    assertEquals(0, Cost.of(billed + 1300, PRICE).compareTo(t.costByCurrency().get("RMB")));
    assertEquals("RMB", t.currency());
    assertEquals(3 + 1, t.requestsStarted(), "intent lines");
    assertEquals(3 + 1 + 2 + 1, t.requestsConcluded(), "ok and failed lines of an attempt: the split item's is not one");
    assertEquals(1, t.requestsRateLimited());
    assertEquals(3 + 2, t.requestsOk());
  }

  @Test
  void linesAppendedOneAtATimeCountAsTheyConclude() throws IOException {
    List<LedgerRecord> lines = ledger();
    LedgerTally live = new LedgerTally();
    live.append(lines.get(0)); // an intent: a request in flight, no item yet
    assertEquals(1, live.requestsStarted());
    assertEquals(0, live.items());
    lines.subList(1, lines.size()).forEach(live::append);
    LedgerTally whole = wholeLedger(lines);
    assertEquals(whole.ok(), live.ok());
    assertEquals(whole.failed(), live.failed());
    assertEquals(whole.skipped(), live.skipped());
    assertEquals(0, live.uncertain(), "b is still in flight while the run goes on");
    assertEquals(whole.spend().totalTokens(), live.spend().totalTokens());
    assertEquals(0, whole.spend().billed().compareTo(live.spend().billed()));
  }

  @Test
  void aDryRunsEstimatesAreRequestsItWouldSendNotItems() throws IOException {
    List<String> text = List.of(
        "{\"id\":\"a\",\"status\":\"estimate\",\"prompt_tokens\":40,\"total_tokens\":340,\"cost_rmb\":\"0.0272\","
            + "\"worst_case_tokens\":1064,\"worst_case_cost\":\"0.08512\",\"seconds_sent\":3.0,\"currency\":\"RMB\"}",
        "{\"id\":\"e\",\"segment\":0,\"segments\":2,\"status\":\"estimate\",\"prompt_tokens\":10,\"total_tokens\":310,"
            + "\"cost_rmb\":\"0.0248\",\"worst_case_tokens\":1034,\"worst_case_cost\":\"0.08272\",\"seconds_sent\":1.0}",
        "{\"id\":\"e\",\"segment\":1,\"segments\":2,\"status\":\"estimate\",\"prompt_tokens\":20,\"total_tokens\":320,"
            + "\"cost_rmb\":\"0.0256\",\"worst_case_tokens\":1044,\"worst_case_cost\":\"0.08352\",\"seconds_sent\":2.0}",
        "{\"id\":\"f\",\"status\":\"failed\",\"error\":{\"code\":\"audio_unreadable\",\"http_status\":0,\"message\":\"x\"}}");
    LedgerTally t = wholeLedger(LedgerView.of(text).lines());
    LedgerTally.Estimate e = t.estimate();
    assertEquals(3, e.requests());
    assertEquals(70, e.promptTokens());
    assertEquals(970, e.expectedTokens());
    assertEquals(3142, e.worstCaseTokens());
    assertEquals(6.0, e.seconds(), 1e-9);
    assertEquals(0, new BigDecimal("0.0776").compareTo(e.expectedCost()));
    assertEquals(0, new BigDecimal("0.25136").compareTo(e.worstCaseCost()));
    assertEquals(1, t.failed());
    assertEquals(1, t.items(), "estimates are not items' states");
    assertEquals(0, t.spend().totalTokens(), "an estimate was never billed");
    assertTrue(t.spendByCurrency().isEmpty());
  }
}
