package io.glmvoicebatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerTally;
import io.glmvoicebatch.ledger.LedgerView;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's HTML, escaping and data file, checked without a browser. */
class BatchReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

    // Self-contained: nothing is fetched from anywhere but the data file beside the page.
    assertFalse(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:|//)").matcher(html).find());
    assertFalse(html.contains("@import") || html.contains("url("), "CSS must not load anything");
    assertTrue(html.contains("default-src 'none'"), "a CSP forbids loads the page does not need");
    assertTrue(html.contains("<script src=\"report-data.js\"></script>"));
    // Hostile data appears only escaped, and none of it is in the page itself.
    assertFalse(html.contains(ReportFixture.HOSTILE_ID), "raw hostile id in the page");
    assertFalse(html.contains("alert(2)"), "the hostile prompt is in the data file, not the page");
    assertEquals(2, count(html, "</script>"), "only the data file's and the page's script elements");
    assertTrue(html.contains("SIMULATED: outputs are synthetic"));
    assertFalse(html.contains(out.toString()), "no absolute path of the folder in the page");

    Data data = data(out);
    assertEquals(latest.size(), data.items.size());
    assertEquals(latest.size(), data.meta.get("item_count").asInt());
    assertEquals(latest.size(), data.meta.get("simulated_items").asInt());
    String dataText = Files.readString(out.resolve(BatchReport.DATA_FILE_NAME), StandardCharsets.UTF_8);
    assertFalse(dataText.contains(out.toString()), "no absolute path of the folder in the data file");
    int ok = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (JsonNode it : data.items) {
      LedgerRecord r = latest.get(it.get("key").asText());
      assertNotNull(r, it.toString());
      assertEquals(r.status().wire(), it.get("status").asText());
      assertEquals(r.usage().costRmb(), it.get("cost").isNull() ? null : it.get("cost").asText());
      assertEquals(r.call().latencyMs(), it.get("latency_ms").isNull() ? null : it.get("latency_ms").asLong());
      if (r.isOk()) {
        ok++;
        cost = cost.add(new BigDecimal(r.usage().costRmb()));
        Path reply = resolveHref(out, it.get("reply_href").asText());
        assertEquals(out.resolve(r.reply().outputAudio()).normalize(), reply);
        Path input = resolveHref(out, it.get("input_href").asText());
        assertEquals(out.resolve(r.input().sentAudio()).normalize(), input, "the input player plays the audio as sent");
        assertTrue(input.startsWith(out) && Files.isRegularFile(input), input.toString());
        assertEquals(0, it.get("input_is_original").asInt());
        assertEquals(Files.readString(out.resolve(r.reply().outputText()), StandardCharsets.UTF_8), it.get("reply_text").asText());
        assertEquals(r.reply().replySeconds(), it.get("reply_seconds").asDouble());
        assertEquals(r.params().prompt(), text(data, it.get("prompt").asInt()), "the prompt sent is in the row");
      } else {
        assertTrue(it.get("reply_href").isNull() && it.get("input_href").isNull());
        assertEquals(r.error().code(), it.get("error_code").asText());
        assertEquals(r.error().message(), it.get("error_message").asText());
      }
    }
    assertEquals(3, ok);
    assertTrue(data.texts.contains(ReportFixture.HOSTILE_PROMPT) && data.texts.contains("请用简单的话回答学生的问题。"),
        data.texts.toString());
    assertEquals(0, cost.compareTo(new BigDecimal(data.meta.get("cost_by_currency").get("RMB").asText())));
    // The totals agree with the batch's own summary.json.
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    LedgerTally t = ReportModel.read(out).totals();
    assertEquals(summary.get("ok").asInt(), t.ok());
    assertEquals(summary.get("failed").asInt(), t.failed());
    assertEquals(summary.get("total_tokens").asLong(), t.spend().totalTokens());
    assertEquals(0, new BigDecimal(summary.get("cost").asText()).compareTo(t.costByCurrency().get("RMB")));
    assertTrue(html.contains(summary.get("cost").asText() + " RMB"), "cost with currency in the totals");
    // The tricky id's reply file is reachable through its percent-encoded link.
    JsonNode tricky = find(data.items, ReportFixture.TRICKY_ID);
    assertEquals("audio/q%26a%20%231%20%27x%27%20100%25.wav", tricky.get("reply_href").asText());
    assertEquals("normalized/q%26a%20%231%20%27x%27%20100%25.wav", tricky.get("input_href").asText());
    // Four charts with titles that say what they show; readable cards; the retries and faults section.
    for (String id : List.of("chart-latency", "chart-cost", "chart-tokens", "chart-failures")) {
      assertTrue(html.contains("<figure id=\"" + id + "\">"), id);
    }
    assertTrue(html.contains("Cost per item (RMB): all 3 items with a cost"), "honest cost chart title");
    assertTrue(html.contains(">manifest</text>") && html.contains(">audio_unreadable</text>"));
    assertFalse(Pattern.compile("\\{[^}<]*=\\d+\\}").matcher(html).find(), "a raw map such as {no speech=1}");
    assertTrue(html.contains("audio_unreadable: 1") && html.contains("manifest: 2"), "failed card detail");
    assertTrue(html.contains("id=\"faults\"") && html.contains("failed: manifest"), "retries and faults by outcome");
  }

  @Test
  void chartTitlesSayWhatTheyShowOfHowMany(@TempDir Path dir) throws Exception {
    ReportFixture.syntheticOutput(dir, 2000);
    BatchReport.write(dir);
    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    // 80% of 2000 are ok with a cost; 1,600 points are sampled down to 500 circles.
    assertTrue(html.contains("Cost per item (RMB): the 25 most expensive of 1,600 items"), "cost title");
    assertTrue(html.contains("Tokens in vs. audio seconds sent: a random 500 of 1,600 items"), "scatter title");
    assertEquals(ChartData.MAX_POINTS, count(html, "<circle class=\"dot\""), "the scatter draws the sample only");
    assertTrue(html.contains("skipped: no speech"), "skip reasons as words");
    assertTrue(html.contains("no speech: 100"), "skipped card: 'no speech: 100', not {no speech=100}");
    assertTrue(html.contains("requests needed retries"), "retries summary");
    // Outcomes in the ledger's order of states (ok, failed, skipped), not alphabetically.
    String faults = html.substring(html.indexOf("id=\"faults\""));
    int ok = faults.indexOf("<td>ok</td>");
    int failed = faults.indexOf("<td>failed: ");
    int skipped = faults.indexOf("<td>skipped: ");
    assertTrue(ok >= 0 && ok < failed && failed < skipped, "ok, then failed, then skipped rows");
  }

  @Test
  void aFolderOfAnOlderVersionWithAbsolutePathsStillRenders(@TempDir Path dir) throws Exception {
    // An older version wrote absolute output paths and kept no audio as sent; the folder has moved since.
    Path old = ReportFixture.batchOutput();
    Path moved = dir.resolve("moved").resolve("out");
    copyTree(old, moved);
    deleteTree(moved.resolve("normalized"));
    List<String> lines = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(moved.resolve("ledger.jsonl"), StandardCharsets.UTF_8)) {
      var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(line);
      for (String f : List.of("output_audio", "output_text")) {
        if (node.hasNonNull(f)) {
          node.put(f, "/old/place/out/" + node.get(f).asText());
        }
      }
      if (node.get("id").asText().equals("en-sky-blue")) {
        node.put("input_audio", "/old/place/in/en-sky-blue.wav"); // an original that is gone
      }
      node.remove(List.of("sent_audio", "prompt", "system", "model", "max_tokens", "temperature", "top_p"));
      lines.add(JSON.writeValueAsString(node));
    }
    Files.write(moved.resolve("ledger.jsonl"), lines, StandardCharsets.UTF_8);
    BatchReport.write(moved);
    Data data = data(moved);
    int ok = 0;
    for (JsonNode it : data.items) {
      if (it.get("state").asText().equals("ok")) {
        ok++;
        assertTrue(Files.isRegularFile(resolveHref(moved, it.get("reply_href").asText())), it.toString());
        assertFalse(it.get("reply_text").isNull());
        if (it.get("id").asText().equals("en-sky-blue")) {
          // Its original recording is gone: no link, so the player says "not found".
          assertTrue(it.get("input_href").isNull(), it.toString());
        } else {
          // The others' originals are still where the manifest named them: linked, marked as outside the folder.
          assertEquals(1, it.get("input_is_original").asInt(), it.toString());
          assertTrue(Files.isRegularFile(resolveHref(moved, it.get("input_href").asText())), it.toString());
        }
      }
    }
    assertEquals(3, ok);
  }

  @Test
  void aHundredThousandItemLedgerIsStreamedInASmallHeap(@TempDir Path dir) throws Exception {
    ReportFixture.syntheticOutput(dir, 100_000);
    // A child JVM with a heap far below what 100,000 held ledger records take.
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-Xmx" + SMALL_HEAP_MB + "m", "-cp", System.getProperty("java.class.path"),
        "io.glmvoicebatch.report.ReportFixture", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("report writer did not finish");
    }
    String log = Files.readString(dir.resolve("child.log"));
    assertEquals(0, p.exitValue(), log);
    System.out.println("100000-item report at -Xmx" + SMALL_HEAP_MB + "m: " + log.strip());
    Data data = data(dir);
    assertEquals(100_000, data.meta.get("row_count").asInt());
    long html = Files.size(dir.resolve("report.html"));
    long js = Files.size(dir.resolve(BatchReport.DATA_FILE_NAME));
    assertTrue(html < 200_000, "the page holds no rows: " + html + " bytes");
    // Linear with a small constant: the synthetic rows carry up to ~330 characters of reply text each.
    assertTrue(js < 100_000L * 700, "data file of " + js + " bytes");
  }

  /** The heap of the streaming test; holding 100,000 ledger records alone takes several times this. */
  static final int SMALL_HEAP_MB = 96;

  @Test
  void aReRunWithAnotherManifestSaysSoAndTheReportOffersThisRunOrTheWholeFolder(@TempDir Path dir) throws Exception {
    var two = ReportFixture.twoManifestOutput();
    Path out = two.getKey();
    assertTrue(two.getValue().contains("items: 1 ok"), two.getValue());
    assertTrue(two.getValue().contains("note: this folder also holds 2 item(s) of other manifests (2 ok"),
        two.getValue());
    assertEquals(2, JSON.readTree(out.resolve("summary.json").toFile()).get("other_manifest_items").asInt());
    String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("id=\"history-banner\"") && html.contains("this run's manifest (1 item)")
        && html.contains("the whole folder (3 items)"), "the page offers both views");
    assertTrue(html.contains("data-scope=\"run\"") && html.contains("data-scope=\"folder\" hidden"), "run totals first");
    Data data = data(out);
    assertEquals(1, data.meta.get("run_item_count").asInt());
    for (JsonNode it : data.items) {
      assertEquals(it.get("id").asText().equals("en-circle-area") ? 1 : 0, it.get("in_run").asInt(), it.toString());
    }
    // Re-rendered on its own (no run known; a copy, the browser test opens the original): the whole folder.
    Path copy = dir.resolve("copy");
    copyTree(out, copy);
    BatchReport.write(copy);
    assertFalse(Files.readString(copy.resolve("report.html"), StandardCharsets.UTF_8).contains("history-banner"));
  }

  @Test
  void anEmptyOrMissingLedgerStillGivesAPage(@TempDir Path dir) throws Exception {
    String html = Files.readString(BatchReport.write(dir), StandardCharsets.UTF_8);
    assertEquals(0, data(dir).items.size());
    assertFalse(html.contains("SIMULATED: outputs"));
    assertTrue(html.contains("no item has a latency"));
  }

  @Test
  void fiveThousandItemsHaveOneRowEach(@TempDir Path dir) throws Exception {
    ReportFixture.syntheticOutput(dir, 5000);
    Path report = BatchReport.write(dir);
    long size = Files.size(report) + Files.size(dir.resolve(BatchReport.DATA_FILE_NAME));
    System.out.printf("report of 5000 items: %.1f MB (page and data file)%n", size / 1e6);
    Data data = data(dir);
    assertEquals(5000, data.items.size());
    JsonNode last = find(data.items, "item-4999");
    assertEquals("uncertain", last.get("state").asText(), "a last line of 'sending' is uncertain");
    // The totals count each item by its last line: 80 ok, 12 failed, 5 skipped, 3 left in flight of each 100.
    LedgerTally t = ReportModel.read(dir).totals();
    assertEquals(List.of(5000, 4000, 600, 250, 150), List.of(t.items(), t.ok(), t.failed(), t.skipped(), t.uncertain()));
    assertEquals(150, t.spend().uncertainAttempts(), "each item left in flight may have been billed");
    assertNull(ReportModel.read(dir).items().get(0).replyHref(), "reply audio not on disk: no link");
  }

  /** The data file read back: rows as objects keyed by column, the text table, the meta object. */
  record Data(List<JsonNode> items, List<String> texts, JsonNode meta) {}

  static Data data(Path out) throws Exception {
    String js = Files.readString(out.resolve(BatchReport.DATA_FILE_NAME), StandardCharsets.UTF_8);
    int rowsAt = js.indexOf("window.REPORT_ROWS = ") + "window.REPORT_ROWS = ".length();
    int metaAt = js.indexOf("window.REPORT_META = ");
    JsonNode rows = JSON.readTree(js.substring(rowsAt, js.lastIndexOf(';', metaAt)));
    JsonNode meta = JSON.readTree(js.substring(metaAt + "window.REPORT_META = ".length(), js.lastIndexOf(';')));
    List<String> columns = new java.util.ArrayList<>();
    meta.get("columns").forEach(c -> columns.add(c.asText()));
    List<JsonNode> items = new java.util.ArrayList<>();
    for (JsonNode row : rows) {
      var o = JSON.createObjectNode();
      for (int i = 0; i < columns.size(); i++) {
        o.set(columns.get(i), row.get(i));
      }
      items.add(o);
    }
    List<String> texts = new java.util.ArrayList<>();
    meta.get("texts").forEach(t -> texts.add(t.asText()));
    return new Data(items, texts, meta);
  }

  private static String text(Data d, int index) {
    return index < 0 ? null : d.texts.get(index);
  }

  static void copyTree(Path from, Path to) throws Exception {
    io.glmvoicebatch.cli.DatasetFolderTest.copyTree(from, to);
  }

  static void deleteTree(Path dir) throws Exception {
    ReportFixture.deleteTree(dir);
  }

  private static JsonNode find(List<JsonNode> items, String id) {
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
