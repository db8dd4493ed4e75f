package io.glmvoicebatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.glmvoicebatch.ledger.LedgerRecord;
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
 * console error, exception or CSP violation, has one table row per item, sorts and filters, its audio
 * links load real WAVs, and it screenshots to target/report-screenshot.png. Under CI=true a missing
 * chromium fails; elsewhere these tests are skipped saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchReportBrowserTest {
  static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");
  private HeadlessChromium browser;
  private String missing;

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
        Map.of("width", 1400, "height", 1800, "deviceScaleFactor", 1, "mobile", false));
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

  /** Navigates to {@code report} and waits for the script to finish building the table; returns ms taken. */
  private long open(Path report) throws Exception {
    int before = browser.methods().size();
    long t0 = System.nanoTime();
    browser.call("Page.navigate", Map.of("url", report.toUri().toString()));
    List<JsonNode> seen = new ArrayList<>();
    browser.awaitEvent(e -> {
      seen.add(e);
      return e.path("method").asText().equals("Page.loadEventFired") && seen.size() > 0
          && browser.methods().lastIndexOf("Page.loadEventFired") >= before;
    }, Duration.ofSeconds(60));
    browser.awaitTrue("document.documentElement.getAttribute('data-ready') === 'true'", Duration.ofSeconds(60));
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private List<String> errorsSoFar() throws InterruptedException {
    Thread.sleep(400); // late console messages (lazy audio players, observers) arrive after 'ready'
    return browser.errors();
  }

  @Test
  void reportLoadsCleanlyWithOneRowPerItemAndScreenshots() throws Exception {
    Path out = ReportFixture.batchOutput();
    Path report = BatchReport.write(out);
    Map<String, LedgerRecord> latest = LedgerView.read(out.resolve("ledger.jsonl")).latest();
    open(report);

    assertEquals(List.of(), errorsSoFar(), "console errors, exceptions or CSP violations");
    assertEquals(latest.size(), browser.eval("document.querySelectorAll('#items tbody tr').length").asInt());
    assertEquals(latest.size(), browser.eval(
        "Array.from(document.querySelectorAll('#items tbody tr')).filter(function (r) { return !r.hidden; }).length")
        .asInt());
    assertEquals(latest.size() + " items", browser.eval("document.getElementById('row-count').textContent").asText());
    assertTrue(browser.eval("!!document.getElementById('simulated-banner') && "
        + "document.getElementById('simulated-banner').textContent.indexOf('SIMULATED: outputs are synthetic') >= 0")
        .asBoolean(), "simulated banner");
    assertEquals(4, browser.eval("document.querySelectorAll('figure svg').length").asInt());
    // Hostile data is text on the page, never markup: no element came from it.
    assertEquals(0, browser.eval("document.querySelectorAll('img').length").asInt());
    assertTrue(browser.eval("document.body.textContent.indexOf(" + jsString(ReportFixture.HOSTILE_ID) + ") >= 0")
        .asBoolean(), "the rejected id is shown as text");
    // The players of the ok rows in view were created, pointing at the files.
    long okRows = latest.values().stream().filter(LedgerRecord::isOk).count();
    assertEquals(okRows * 2, browser.eval("document.querySelectorAll('#items audio').length").asInt());

    byte[] png = browser.screenshot();
    Files.write(SCREENSHOT, png);
    assertTrue(png.length > 20_000 && png[0] == (byte) 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G',
        "screenshot is a PNG");
    System.out.println("report screenshot: " + SCREENSHOT.toAbsolutePath());
  }

  @Test
  void everyAudioLinkOfAnOkItemLoadsAPlayableWav() throws Exception {
    open(BatchReport.write(ReportFixture.batchOutput()));
    JsonNode results = browser.eval("""
        Promise.all(JSON.parse(document.getElementById('report-data').textContent).items
          .filter(function (i) { return i.state === 'ok'; })
          .flatMap(function (i) { return [i.input_href, i.reply_href]; })
          .map(function (href) {
            return new Promise(function (resolve) {
              var a = new Audio();
              a.preload = 'metadata';
              a.onloadedmetadata = function () { resolve({ href: href, seconds: a.duration }); };
              a.onerror = function () { resolve({ href: href, error: a.error ? a.error.code : -1 }); };
              a.src = href;
              setTimeout(function () { resolve({ href: href, error: 'timeout' }); }, 20000);
            });
          }))""");
    assertEquals(6, results.size(), results.toString());
    for (JsonNode r : results) {
      assertTrue(r.path("seconds").asDouble(0) > 0.5, "audio did not load: " + r);
    }
    assertEquals(List.of(), errorsSoFar());
  }

  @Test
  void headersSortAndTheFiltersNarrowTheRows() throws Exception {
    Path out = ReportFixture.batchOutput();
    open(BatchReport.write(out));
    Map<String, LedgerRecord> latest = LedgerView.read(out.resolve("ledger.jsonl")).latest();
    long failed = latest.values().stream().filter(r -> r.status().equals("failed")).count();

    browser.eval("document.querySelector('th[data-key=\"latency_ms\"] button').click()");
    JsonNode asc = visibleColumn(8);
    browser.eval("document.querySelector('th[data-key=\"latency_ms\"] button').click()");
    JsonNode desc = visibleColumn(8);
    assertEquals("descending", browser.eval("document.querySelector('th[data-key=\"latency_ms\"]')"
        + ".getAttribute('aria-sort')").asText());
    List<Long> up = latencies(asc);
    List<Long> down = latencies(desc);
    assertEquals(3, up.size(), asc.toString());
    assertTrue(up.get(0) <= up.get(1) && up.get(1) <= up.get(2), "ascending: " + up);
    assertTrue(down.get(0) >= down.get(1) && down.get(1) >= down.get(2), "descending: " + down);
    assertEquals("", asc.get(asc.size() - 1).asText(), "empty cells sort last");
    assertEquals("", desc.get(desc.size() - 1).asText(), "empty cells sort last either way");

    browser.eval("var s = document.getElementById('filter-status'); s.value = 'failed';"
        + " s.dispatchEvent(new Event('change')); 0");
    assertEquals(failed, visibleColumn(1).size());
    browser.eval("var s = document.getElementById('filter-status'); s.value = '';"
        + " s.dispatchEvent(new Event('change'));"
        + " var t = document.getElementById('filter-text'); t.value = " + jsString("Q&A #1") + ";"
        + " t.dispatchEvent(new Event('input')); 0");
    browser.awaitTrue("document.getElementById('row-count').textContent.indexOf('1 of ') === 0", Duration.ofSeconds(5));
    assertEquals(List.of(ReportFixture.TRICKY_ID), texts(visibleColumn(0), "manifest line"));
    assertEquals(List.of(), errorsSoFar());
  }

  @Test
  void fiveThousandItemReportLoadsQuickly(@TempDir Path dir) throws Exception {
    ReportFixture.syntheticOutput(dir, 5000);
    Path report = BatchReport.write(dir);
    long ms = open(report);
    JsonNode timing = browser.eval("(function () { var t = performance.now(); document.body.getBoundingClientRect();"
        + " var r = window.reportTiming; r.layout = performance.now() - t;"
        + " r.sinceNavigation = performance.now(); var n = performance.getEntriesByType('navigation')[0];"
        + " r.domInteractive = n.domInteractive; r.domContentLoaded = n.domContentLoadedEventEnd; r.load = n.loadEventEnd;"
        + " r.scriptStart = window.reportStart; return r; })()");
    System.out.println("5000-item report: loaded and table built in Chromium in " + ms + " ms wall; page timings "
        + timing);
    assertEquals(5000, browser.eval("document.querySelectorAll('#items tbody tr').length").asInt());
    // A sanity bound only: wall time on a shared 2-core machine varies several-fold with its load.
    assertTrue(ms < 90_000, "5000-item page took " + ms + " ms");
    browser.eval("document.querySelector('th[data-key=\"cost\"] button').click()");
    assertEquals(List.of(), errorsSoFar());
  }

  /** The text of cell {@code col} of each visible row, in table order. */
  private JsonNode visibleColumn(int col) throws Exception {
    return browser.eval("Array.from(document.querySelectorAll('#items tbody tr'))"
        + ".filter(function (r) { return !r.hidden; })"
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

  private static List<String> texts(JsonNode cells, String ignored) {
    List<String> v = new ArrayList<>();
    cells.forEach(c -> v.add(c.asText()));
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
