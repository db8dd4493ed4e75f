package io.glmvoicebatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's HTML, escaping and JSON data blob, checked without a browser. */
class BatchReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BLOB =
      Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

  @Test
  void escapeCoversEveryMarkupCharacter() {
    assertEquals("&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;amp;&lt;/a&gt;",
        Html.escape("<a href='x' title=\"y\">&amp;</a>"));
    assertEquals("", Html.escape(null));
    assertEquals("plain 中文 text", Html.escape("plain 中文 text"));
    assertEquals("a\uFFFDb\nc", Html.escape("a\u0000b\nc"));
  }

  @Test
  void scriptJsonCannotCloseTheScriptAndParsesBackToTheSameValue() throws Exception {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", "</script><script>alert(1)</script>");
    v.put("comment", "<!-- <script> -->");
    v.put("amp", "a & b > c");
    v.put("separators", "line\u2028para\u2029end");
    String raw = JSON.writeValueAsString(v);
    String safe = Html.scriptJson(raw);
    assertFalse(safe.contains("<"), safe);
    assertFalse(safe.contains(">"), safe);
    assertFalse(safe.contains("&"), safe);
    assertFalse(safe.contains("\u2028") || safe.contains("\u2029"), safe);
    assertEquals(JSON.readTree(raw), JSON.readTree(safe));
  }

  @Test
  void hrefPathPercentEncodesSegmentsSoNothingBecomesASchemeOrFragment() {
    assertEquals("audio/q%26a%20%231%20%27x%27%20100%25.wav", Html.hrefPath("audio/q&a #1 'x' 100%.wav"));
    assertEquals("javascript%3Aalert%281%29", Html.hrefPath("javascript:alert(1)"));
    assertEquals("../in/my%20clips/a.wav", Html.hrefPath("../in/my clips/a.wav"));
    assertEquals("%E9%9F%B3.wav", Html.hrefPath("音.wav"));
    assertEquals("a/b.wav", Html.hrefPath("a\\b.wav"));
  }

  @Test
  void reportOfARealBatchHasEveryItemEscapedWithWorkingLinks() throws Exception {
    Path out = ReportFixture.batchOutput();
    Path report = BatchReport.write(out);
    assertEquals(out.resolve("report.html"), report);
    String html = Files.readString(report, StandardCharsets.UTF_8);
    Map<String, LedgerRecord> latest = LedgerView.read(out.resolve("ledger.jsonl")).latest();
    assertEquals(6, latest.size(), latest.keySet().toString());

    // Self-contained: nothing is fetched from anywhere.
    assertFalse(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:|//)").matcher(html).find());
    assertFalse(html.contains("@import") || html.contains("url("), "CSS must not load anything");
    assertTrue(html.contains("default-src 'none'"), "a CSP forbids loads the page does not need");
    // Hostile data appears only escaped.
    assertFalse(html.contains(ReportFixture.HOSTILE_ID), "raw hostile id in the page");
    assertFalse(html.contains("alert(2)</script>"), "raw hostile prompt in the page");
    assertEquals(2, count(html, "</script>"), "only the data blob and the script close a script element");
    assertTrue(html.contains("SIMULATED: outputs are synthetic"));

    JsonNode data = blob(html);
    JsonNode items = data.get("items");
    assertEquals(latest.size(), items.size());
    assertEquals(latest.size(), data.get("item_count").asInt());
    assertEquals(latest.size(), data.get("simulated_items").asInt());
    int ok = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (JsonNode it : items) {
      LedgerRecord r = latest.get(it.get("key").asText());
      assertNotNull(r, it.toString());
      assertEquals(r.status(), it.get("status").asText());
      assertEquals(r.costRmb(), it.get("cost").isNull() ? null : it.get("cost").asText());
      assertEquals(r.latencyMs(), it.get("latency_ms").isNull() ? null : it.get("latency_ms").asLong());
      if (r.isOk()) {
        ok++;
        cost = cost.add(new BigDecimal(r.costRmb()));
        Path reply = resolveHref(out, it.get("reply_href").asText());
        assertEquals(out.resolve(r.outputAudio()).normalize(), reply);
        Path input = resolveHref(out, it.get("input_href").asText());
        assertEquals(Path.of(r.inputAudio()).normalize(), input);
        assertTrue(Files.isRegularFile(input), input.toString());
        assertEquals(Files.readString(out.resolve(r.outputText()), StandardCharsets.UTF_8), it.get("reply_text").asText());
      } else {
        assertTrue(it.get("reply_href").isNull() && it.get("input_href").isNull());
        assertEquals(r.error().code(), it.get("error_code").asText());
        assertEquals(r.error().message(), it.get("error_message").asText());
      }
    }
    assertEquals(3, ok);
    assertEquals(0, cost.compareTo(new BigDecimal(data.get("cost_by_currency").get("RMB").asText())));
    // The totals agree with the batch's own summary.json.
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    ReportTotals t = ReportModel.read(out).totals();
    assertEquals(summary.get("ok").asInt(), t.ok());
    assertEquals(summary.get("failed").asInt(), t.failed());
    assertEquals(summary.get("total_tokens").asLong(), t.totalTokens());
    assertEquals(0, new BigDecimal(summary.get("cost").asText()).compareTo(t.costByCurrency().get("RMB")));
    assertTrue(html.contains(summary.get("cost").asText() + " RMB"), "cost with currency in the totals");
    // The tricky id's reply file is reachable through its percent-encoded link.
    JsonNode tricky = find(items, ReportFixture.TRICKY_ID);
    assertEquals("audio/q%26a%20%231%20%27x%27%20100%25.wav", tricky.get("reply_href").asText());
    assertEquals("../in/my%20clips/en-circle-area.wav", tricky.get("input_href").asText());
    // Four charts, failures chart names both codes.
    for (String id : List.of("chart-latency", "chart-cost", "chart-tokens", "chart-failures")) {
      assertTrue(html.contains("<figure id=\"" + id + "\">"), id);
    }
    assertTrue(html.contains(">manifest</text>") && html.contains(">audio_unreadable</text>"));
  }

  @Test
  void anEmptyOrMissingLedgerStillGivesAPage(@TempDir Path dir) throws Exception {
    String html = Files.readString(BatchReport.write(dir), StandardCharsets.UTF_8);
    assertEquals(0, blob(html).get("items").size());
    assertFalse(html.contains("SIMULATED: outputs"));
    assertTrue(html.contains("no item has a latency"));
  }

  @Test
  void fiveThousandItemsRenderInWellUnderAFewSeconds(@TempDir Path dir) throws Exception {
    ReportFixture.syntheticOutput(dir, 5000);
    BatchReport.write(dir); // warm up class loading and the JIT once
    // CPU time of this thread, not wall time: a shared 2-core machine under load stretches wall time
    // several-fold while the work stays the same.
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    Path report = BatchReport.write(dir);
    long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long size = Files.size(report);
    System.out.printf("report of 5000 items: %d ms CPU, %d ms wall, %.1f MB%n", cpuMs, ms, size / 1e6);
    assertTrue(cpuMs < 3000, "5000-item report took " + cpuMs + " ms of CPU");
    JsonNode data = blob(Files.readString(report, StandardCharsets.UTF_8));
    assertEquals(5000, data.get("items").size());
    JsonNode last = data.get("items").get(4999);
    assertEquals("item-4999", last.get("id").asText());
    assertEquals("uncertain", last.get("state").asText(), "a last line of 'sending' is uncertain");
    assertNull(ReportModel.read(dir).items().get(0).replyHref(), "reply audio not on disk: no link");
  }

  static JsonNode blob(String html) throws Exception {
    Matcher m = BLOB.matcher(html);
    assertTrue(m.find(), "no data blob");
    return JSON.readTree(m.group(1));
  }

  private static JsonNode find(JsonNode items, String id) {
    for (JsonNode it : items) {
      if (it.get("id").asText().equals(id)) {
        return it;
      }
    }
    throw new AssertionError("no item " + id);
  }

  /** Resolves a relative link the way a browser does against report.html in {@code out}. */
  private static Path resolveHref(Path out, String href) {
    URI base = out.resolve("report.html").toUri();
    return Path.of(base.resolve(href)).normalize();
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
