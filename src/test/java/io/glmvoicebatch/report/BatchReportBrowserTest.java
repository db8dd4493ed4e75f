package io.glmvoicebatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report opened in Debian's headless Chromium, driven over the DevTools protocol: it loads with no
 * console error, exception or CSP violation, shows what was asked, sorts, filters and pages, its players
 * load real WAVs from a copied folder (or say "not found"), a 100,000-item report opens and filters, and
 * it screenshots to target/report-screenshot.png. Every wait polls a condition with a deadline. Under
 * CI=true a missing chromium fails; elsewhere these tests are skipped saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchReportBrowserTest {
  static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  /** Players are settled when each has its metadata or was replaced by a "not found" label. */
  private static final String PLAYERS_SETTLED = "Array.from(document.querySelectorAll('#items audio'))"
      + ".every(function (a) { return a.readyState >= 1; })";
  private HeadlessChromium browser;
  private String missing;
  private int mark;

  @BeforeAll
  void startBrowser() throws Exception {
    var binary = HeadlessChromium.find();
    if (binary.isEmpty()) {
      missing = "chromium not found on PATH (nor $CHROMIUM_BIN); install it with: apt-get install -y chromium";
      if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
        System.err.println("SKIPPING the report's browser tests: " + missing);
      }
      return;
    }
    Files.createDirectories(Path.of("target"));
    browser = HeadlessChromium.start(binary.get(), Path.of("target", "report-chromium.log").toAbsolutePath());
    browser.call("Runtime.enable", Map.of());
    browser.call("Log.enable", Map.of());
    browser.call("Page.enable", Map.of());
    browser.call("Emulation.setDeviceMetricsOverride",
        Map.of("width", 1600, "height", 1800, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Per test, so a missing browser shows as each test failed (CI) or skipped with the reason (elsewhere). */
  @BeforeEach
  void requireBrowser() {
    if (missing != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true and " + missing);
      }
      Assumptions.abort("skipped: " + missing);
    }
  }

  @AfterAll
  void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  /** Navigates to {@code report} and waits for the script to finish the first page; returns ms taken. */
  private long open(Path report) throws Exception {
    mark = browser.eventCount();
    long t0 = System.nanoTime();
    browser.call("Page.navigate", Map.of("url", report.toUri().toString()));
    // One snapshot of the event list: events keep arriving while this predicate runs.
    browser.awaitEvent(e -> {
      List<String> methods = browser.methods();
      return e.path("method").asText().equals("Page.loadEventFired")
          && methods.subList(Math.min(mark, methods.size()), methods.size()).contains("Page.loadEventFired");
    }, DEADLINE);
    browser.awaitTrue("document.documentElement.getAttribute('data-ready') === 'true'", DEADLINE);
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Errors of this page so far, after its players have settled (they log late). */
  private List<String> errorsOfThisPage() throws Exception {
    browser.awaitTrue(PLAYERS_SETTLED, DEADLINE);
    return browser.errorsSince(mark);
  }

  @Test
  void reportLoadsCleanlyShowingWhatWasAskedAndScreenshots() throws Exception {
    Path out = ReportFixture.batchOutput();
    Path report = BatchReport.write(out);
    Map<String, LedgerRecord> latest = LedgerView.read(out.resolve("ledger.jsonl")).latest();
    open(report);

    assertEquals(List.of(), errorsOfThisPage(), "console errors, exceptions or CSP violations");
    assertEquals(latest.size(), browser.eval("document.querySelectorAll('#items tbody tr').length").asInt());
    assertEquals(latest.size() + " rows", browser.eval("document.getElementById('row-count').textContent").asText());
    assertTrue(browser.eval("!!document.getElementById('simulated-banner') && "
        + "document.getElementById('simulated-banner').textContent.indexOf('SIMULATED: outputs are synthetic') >= 0")
        .asBoolean(), "simulated banner");
    assertEquals(4, browser.eval("document.querySelectorAll('figure svg').length").asInt());
    // Hostile data is text on the page, never markup: no element came from it.
    assertEquals(0, browser.eval("document.querySelectorAll('img').length").asInt());
    assertTrue(browser.eval("document.body.textContent.indexOf(" + jsString(ReportFixture.HOSTILE_ID) + ") >= 0")
        .asBoolean(), "the rejected id is shown as text");
    // What was asked is shown beside each ok row, Chinese marked as such for its glyphs.
    assertTrue(browser.eval("Array.from(document.querySelectorAll('td.ask .prompt')).some(function (e) {"
        + " return e.textContent === " + jsString(ReportFixture.HOSTILE_PROMPT) + "; })").asBoolean(), "hostile prompt");
    assertEquals("zh-CN", browser.eval("Array.from(document.querySelectorAll('td.ask .prompt')).filter(function (e) {"
        + " return e.textContent.indexOf('请用简单') === 0; })[0].lang").asText());
    long okRows = latest.values().stream().filter(LedgerRecord::isOk).count();
    assertEquals(okRows * 2, browser.eval("document.querySelectorAll('#items audio').length").asInt());

    byte[] png = browser.screenshot();
    Files.write(SCREENSHOT, png);
    assertTrue(png.length > 20_000 && png[0] == (byte) 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G',
        "screenshot is a PNG");
    System.out.println("report screenshot: " + SCREENSHOT.toAbsolutePath());
  }

  @Test
  void aMovedReportFolderPlaysEveryPlayerAndSearchesPrompts(@TempDir Path dir) throws Exception {
    Path out = ReportFixture.batchOutput();
    BatchReport.write(out);
    // Copied where no path outside the folder leads anywhere: only links inside it can work.
    Path moved = dir.resolve("a").resolve("b").resolve("report copy");
    BatchReportTest.copyTree(out, moved);
    open(moved.resolve("report.html"));
    long players = browser.eval("document.querySelectorAll('#items audio').length").asLong();
    assertEquals(6, players, "3 ok items: an input and a reply player each");
    browser.awaitTrue(PLAYERS_SETTLED, DEADLINE);
    JsonNode loaded = browser.eval("Array.from(document.querySelectorAll('#items audio')).map(function (a) {"
        + " return a.duration; })");
    for (JsonNode d : loaded) {
      assertTrue(d.asDouble(0) > 0.5, "a player did not load its WAV: " + loaded);
    }
    assertEquals(0, browser.eval("document.querySelectorAll('#items .missing').length").asInt());
    // The filter searches the prompts sent (this one only the tricky item had).
    filter("answer", "");
    assertEquals(List.of(ReportFixture.TRICKY_ID), visibleIds());
    filter("请用简单", "");
    assertEquals(List.of("zh-photosynthesis"), visibleIds());
    assertEquals(List.of(), errorsOfThisPage());
  }

  @Test
  void aMissingFileSaysNotFound(@TempDir Path dir) throws Exception {
    Path out = ReportFixture.batchOutput();
    BatchReport.write(out);
    Path moved = dir.resolve("copy");
    BatchReportTest.copyTree(out, moved);
    LedgerRecord sky = LedgerView.read(moved.resolve("ledger.jsonl")).latest().get("en-sky-blue");
    Files.delete(moved.resolve(sky.reply().outputAudio())); // deleted after the report was written
    open(moved.resolve("report.html"));
    browser.awaitTrue("document.querySelectorAll('#items .missing').length === 1", DEADLINE);
    assertEquals("reply audio not found", browser.eval("document.querySelector('#items .missing').textContent").asText());
    for (String e : errorsOfThisPage()) {
      assertTrue(e.contains("ERR_FILE_NOT_FOUND"), "only the missing file's load error: " + e);
    }
  }

  @Test
  void theScopeChoiceShowsThisRunOrTheWholeFolder() throws Exception {
    Path out = ReportFixture.twoManifestOutput().getKey();
    open(out.resolve("report.html"));
    assertEquals(List.of("en-circle-area"), visibleIds());
    assertTrue(browser.eval("document.querySelector('section.totals[data-scope=\"folder\"]').hidden").asBoolean());
    browser.eval("var s = document.getElementById('filter-scope'); s.value = 'folder';"
        + " s.dispatchEvent(new Event('change')); 0");
    assertEquals(3, visibleIds().size());
    assertTrue(browser.eval("document.querySelector('section.totals[data-scope=\"run\"]').hidden").asBoolean());
    assertEquals(List.of(), errorsOfThisPage());
  }

  @Test
  void headersSortAndTheFiltersNarrowTheRows() throws Exception {
    Path out = ReportFixture.batchOutput();
    open(BatchReport.write(out));
    Map<String, LedgerRecord> latest = LedgerView.read(out.resolve("ledger.jsonl")).latest();
    long failed = latest.values().stream().filter(r -> r.status() == LedgerStatus.FAILED).count();

    int latencyCol = 9;
    browser.eval("document.querySelector('th[data-key=\"latency_ms\"] button').click()");
    JsonNode asc = visibleColumn(latencyCol);
    browser.eval("document.querySelector('th[data-key=\"latency_ms\"] button').click()");
    JsonNode desc = visibleColumn(latencyCol);
    assertEquals("descending", browser.eval("document.querySelector('th[data-key=\"latency_ms\"]')"
        + ".getAttribute('aria-sort')").asText());
    List<Long> up = latencies(asc);
    List<Long> down = latencies(desc);
    assertEquals(3, up.size(), asc.toString());
    assertTrue(up.get(0) <= up.get(1) && up.get(1) <= up.get(2), "ascending: " + up);
    assertTrue(down.get(0) >= down.get(1) && down.get(1) >= down.get(2), "descending: " + down);
    assertEquals("", asc.get(asc.size() - 1).asText(), "empty cells sort last");
    assertEquals("", desc.get(desc.size() - 1).asText(), "empty cells sort last either way");

    filter("", "failed");
    assertEquals(failed, visibleIds().size());
    filter("Q&A #1", "");
    assertEquals(List.of(ReportFixture.TRICKY_ID), visibleIds());
    assertEquals(List.of(), errorsOfThisPage());
  }

  @Test
  void aHundredThousandItemReportOpensAndFilters(@TempDir Path dir) throws Exception {
    int n = 100_000;
    ReportFixture.syntheticOutput(dir, n);
    long w0 = System.nanoTime();
    Path report = BatchReport.write(dir);
    long writeMs = (System.nanoTime() - w0) / 1_000_000;
    long loadMs = open(report);
    JsonNode timing = browser.eval("(function () { var r = window.reportTiming;"
        + " var n = performance.getEntriesByType('navigation')[0];"
        + " r.domContentLoaded = n.domContentLoadedEventEnd; r.load = n.loadEventEnd; return r; })()");
    assertEquals(n, timing.get("items").asInt(), "rows");
    assertEquals(100, browser.eval("document.querySelectorAll('#items tbody tr').length").asInt(), "one page");
    // One filter over every row: the reply texts of item-4242x (10 rows), a prompt-free text search.
    long f0 = System.nanoTime();
    filter("reply 4242", "");
    long filterMs = (System.nanoTime() - f0) / 1_000_000;
    List<String> ids = visibleIds();
    assertTrue(ids.contains("item-4242") && ids.size() == 11, ids.toString());
    long s0 = System.nanoTime();
    browser.eval("document.querySelector('th[data-key=\"cost\"] button').click()");
    long sortMs = (System.nanoTime() - s0) / 1_000_000;
    System.out.printf("100000-item report: written in %d ms (report.html %,d bytes, %s %,d bytes); in Chromium "
        + "opened in %d ms wall (page timings %s), filter 'reply 4242' to %d rows in %d ms wall (incl. the 150 ms "
        + "typing pause), sort by cost %d ms%n", writeMs, Files.size(report), BatchReport.DATA_FILE_NAME,
        Files.size(dir.resolve(BatchReport.DATA_FILE_NAME)), loadMs, timing, ids.size(), filterMs, sortMs);
    assertEquals(List.of(), errorsOfThisPage());
  }

  /** Picks {@code status} and types {@code text} into the filter, then waits until both have been applied. */
  private void filter(String text, String status) throws Exception {
    int before = browser.eval("window.reportApplied || 0").asInt();
    browser.eval("var s = document.getElementById('filter-status'); s.value = " + jsString(status) + ";"
        + " s.dispatchEvent(new Event('change'));"
        + " var t = document.getElementById('filter-text'); t.value = " + jsString(text) + ";"
        + " t.dispatchEvent(new Event('input')); 0");
    // The status applies at once, the text after a typing pause: two applications.
    browser.awaitTrue("(window.reportApplied || 0) >= " + (before + 2), DEADLINE);
  }

  private List<String> visibleIds() throws Exception {
    JsonNode ids = browser.eval("Array.from(document.querySelectorAll('#items tbody tr')).map(function (r) {"
        + " return r.cells[0].firstChild ? Array.from(r.cells[0].childNodes).filter(function (n) {"
        + " return n.nodeType === 3; }).map(function (n) { return n.textContent; }).join('') : ''; })");
    List<String> v = new ArrayList<>();
    ids.forEach(i -> v.add(i.asText()));
    return v;
  }

  /** The text of cell {@code col} of each row of the page, in table order. */
  private JsonNode visibleColumn(int col) throws Exception {
    return browser.eval("Array.from(document.querySelectorAll('#items tbody tr'))"
        + ".map(function (r) { return r.cells[" + col + "].firstChild ? r.cells[" + col + "].firstChild.textContent : ''; })");
  }

  private static List<Long> latencies(JsonNode cells) {
    List<Long> v = new ArrayList<>();
    for (JsonNode c : cells) {
      if (!c.asText().isEmpty()) {
        v.add(Long.parseLong(c.asText().replace(" ms", "")));
      }
    }
    return v;
  }

  private static String jsString(String s) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
