package io.glmvoicebatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerTally;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.IdLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The batch report: {@code report.html} (inline CSS, JS and SVG; no network) and its data file
 * {@code report-data.js} beside it. The page shows the totals, the retries and faults, four charts that
 * summarize (never one mark per item), and a paged, sortable, filterable table of every item with what
 * was asked (prompt, system text), its input and reply audio, and the reply text.
 *
 * <p>The rows live in the data file, one compact JSON array per item written as the ledger is streamed
 * ({@link ReportModel}), so the writer holds no item and the page grows by a few hundred bytes per item.
 * Audio is linked, not embedded: the reply as {@code audio/<id>.wav} and the input as the audio as sent,
 * {@code normalized/<id>.wav}; every link is relative to the folder, so the folder can be copied or moved
 * and the report still plays. Reply texts are cut at {@link #MAX_REPLY_TEXT_CHARS} characters (the full
 * text stays in text/).
 */
public final class BatchReport {
  public static final String FILE_NAME = "report.html";
  public static final String DATA_FILE_NAME = "report-data.js";
  /** Reply texts longer than this are cut in the report (the full text stays in text/). */
  public static final int MAX_REPLY_TEXT_CHARS = 2_000;

  private static final String CSS = resource("report.css");
  private static final String JS = resource("report.js");
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchReport() {}

  /** Writes {@code <outputDir>/report.html} from the folder's ledger and files, and returns its path. */
  public static Path write(Path outputDir) throws IOException {
    return Path.of(write(new OutputFolder(outputDir)));
  }

  /** Writes the report of the whole folder (no run to single out); returns where. */
  public static String write(OutputFolder folder) throws IOException {
    return write(folder, null);
  }

  /**
   * Writes the report into {@code folder}, local or on any Beam filesystem, replacing the old one; returns
   * where. The data file goes first and the page last, each whole ({@link OutputFolder#write}).
   *
   * @param runItemIds the item ids of the manifest of the run writing the report: the page then offers
   *     "this run" and "whole folder"; null shows the whole folder only
   */
  public static String write(OutputFolder folder, IdLines runItemIds) throws IOException {
    ReportModel model;
    try {
      if (folder.isLocal()) {
        Path data = folder.root().resolve(DATA_FILE_NAME);
        Files.createDirectories(folder.root());
        Path tmp = data.resolveSibling("." + DATA_FILE_NAME + ".tmp");
        try {
          try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            model = writeData(folder, runItemIds, w);
          }
          Files.move(tmp, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(tmp); // a full disk leaves no half-written file behind
          throw e;
        }
      } else {
        StringWriter w = new StringWriter();
        model = writeData(folder, runItemIds, w);
        folder.writeText(DATA_FILE_NAME, w.toString());
      }
      folder.writeText(FILE_NAME, render(model));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return folder.locate(FILE_NAME);
  }

  /**
   * The data file: {@code window.REPORT_ROWS}, one array per item in {@link ReportItem#COLUMNS} order as
   * the ledger is streamed, then {@code window.REPORT_META} (columns, the prompt/system text table, counts).
   */
  private static ReportModel writeData(OutputFolder folder, IdLines runItemIds, Writer w) throws IOException {
    w.write("/* glm-voice-batch report data: rows of report.html (format 2) */\nwindow.REPORT_ROWS = [\n");
    boolean[] first = {true};
    TextTable texts = new TextTable();
    ReportModel model = ReportModel.read(folder, runItemIds, item -> {
      try {
        w.write(first[0] ? "" : ",\n");
        first[0] = false;
        w.write(JSON.writeValueAsString(item.row(texts)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", 2);
    meta.put("columns", ReportItem.COLUMNS);
    meta.put("texts", texts.texts());
    meta.put("item_count", model.totals.items());
    meta.put("row_count", model.rows);
    meta.put("run_item_count", model.runTotals == null ? null : model.runTotals.items());
    meta.put("simulated_items", model.totals.simulatedItems());
    Map<String, String> cost = new LinkedHashMap<>();
    model.totals.costByCurrency().forEach((c, v) -> cost.put(c, Cost.format(v)));
    meta.put("cost_by_currency", cost);
    w.write("\n];\nwindow.REPORT_META = ");
    w.write(JSON.writeValueAsString(meta));
    w.write(";\n");
    return model;
  }

  /** The page for {@code model}: everything but the rows. */
  static String render(ReportModel model) {
    LedgerTally t = model.totals;
    StringBuilder sb = new StringBuilder(64 * 1024);
    String location = model.folder.location();
    String trimmed = location.replaceAll("[/\\\\]+$", "");
    String lastName = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
    String folderName = lastName.isEmpty() ? location : lastName;
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        // The data file is a script of this folder ('self', or file: when opened from disk); nothing else loads.
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '")
        .append(sha256(JS)).append("' 'self' file:; style-src '").append(sha256(CSS))
        .append("'; img-src data:; media-src 'self' file:; base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"generator\" content=\"glm-voice-batch\">\n")
        .append("<title>Batch report: ").append(Html.escape(folderName)).append("</title>\n")
        .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");

    sb.append("<header><h1>glm-voice-batch report</h1><p class=\"meta\">Output folder <code>")
        .append(Html.escape(folderName)).append("</code> · generated ")
        .append(Html.escape(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())).append(" · ")
        .append(model.ledgerLines).append(" ledger lines, ").append(t.items()).append(" items</p></header>\n");
    sb.append("<div class=\"banner warn\" id=\"data-missing\" hidden><strong>")
        .append(DATA_FILE_NAME).append(" not found</strong><span>The item table reads its rows from ")
        .append(DATA_FILE_NAME).append(" beside this page; copy the two files together.</span></div>\n");

    if (t.simulatedItems() > 0) {
      sb.append("<div class=\"banner simulated\" role=\"alert\" id=\"simulated-banner\"><strong>SIMULATED: outputs are "
          + "synthetic</strong><span>");
      sb.append(t.simulatedItems() == t.items() ? "Every item" : t.simulatedItems() + " of " + t.items() + " items")
          .append(" was answered by the embedded GLM-4-Voice simulator (no API key): reply audio and text are "
              + "synthetic, and tokens and cost are what the real service would have billed, not a bill.</span></div>\n");
    }
    String stop = text(model.summary, "stop_reason");
    if (stop != null) {
      sb.append("<div class=\"banner stopped\" role=\"alert\"><strong>STOPPED EARLY</strong><span>")
          .append(Html.escape(stop)).append("</span></div>\n");
    }
    if (model.unreadableCount > 0) {
      sb.append("<div class=\"banner warn\"><strong>").append(model.unreadableCount)
          .append(" ledger line(s) could not be read</strong><span>");
      sb.append(Html.escape(String.join("; ", model.unreadableLines))).append("</span></div>\n");
    }
    if (model.runTotals != null && model.runTotals.items() < t.items()) {
      int others = t.items() - model.runTotals.items();
      sb.append("<div class=\"banner warn\" id=\"history-banner\"><strong>").append(others)
          .append(others == 1 ? " item" : " items").append(" from other manifests</strong><span>This folder also holds ")
          .append("the outputs of earlier runs with other manifests (their files stay in audio/ and text/). ")
          .append("Show <select id=\"filter-scope\" aria-label=\"Show\"><option value=\"run\">this run's manifest (")
          .append(items(model.runTotals.items())).append(")</option><option value=\"folder\">the whole folder (")
          .append(items(t.items())).append(")</option></select></span></div>\n");
      totals(sb, model.runTotals, model, "run", false);
      totals(sb, t, model, "folder", true);
    } else {
      totals(sb, t, model, "folder", false);
    }
    retries(sb, model.retries);

    // Charts: summaries of the whole folder, titled with what they show of how many.
    ChartData c = model.charts;
    sb.append("<section class=\"charts\" aria-label=\"Charts\">\n");
    figure(sb, "chart-latency", Charts.latencyTitle(c.latencyCount), Charts.latencyHistogram(c.latencies()));
    figure(sb, "chart-cost", Charts.costTitle(c), Charts.costPerItem(c));
    figure(sb, "chart-tokens", Charts.tokensTitle(c), Charts.tokensVsSeconds(c));
    figure(sb, "chart-failures", "Failed items by error code", Charts.failuresByCode(t.failedByCode()));
    sb.append("</section>\n");

    // Items table: the script builds one page of rows at a time from the data file.
    sb.append("<section class=\"items\" aria-label=\"Items\">\n<h2>Items</h2>\n<div class=\"controls\">")
        .append("<label>Filter <input type=\"search\" id=\"filter-text\" placeholder=\"id, prompt, reply, error…\"")
        .append(" autocomplete=\"off\"></label>")
        .append("<label>Status <select id=\"filter-status\"><option value=\"\">all</option>")
        .append("<option value=\"ok\">ok</option><option value=\"failed\">failed</option>")
        .append("<option value=\"skipped\">skipped</option><option value=\"uncertain\">uncertain</option>")
        .append("<option value=\"retried\">retried</option>")
        .append("</select></label><span id=\"row-count\" aria-live=\"polite\"></span>")
        .append("<span class=\"pager\"><button type=\"button\" id=\"page-prev\">‹ previous</button>")
        .append("<span id=\"page-info\"></span><button type=\"button\" id=\"page-next\">next ›</button>")
        .append("<label>per page <select id=\"page-size\"><option>50</option><option selected>100</option>")
        .append("<option>500</option></select></label></span></div>\n")
        .append("<p class=\"note\">The input player plays the audio as sent (<code>normalized/</code>), the reply ")
        .append("player <code>audio/</code>; links are relative, so the folder can be copied or moved whole. ")
        .append("The filter searches ids, prompts, system texts, replies and errors. Click a column header to sort.</p>\n")
        .append("<div class=\"table-wrap\"><table id=\"items\"><thead><tr>")
        .append(th("id", "text", "id"))
        .append(th("state", "text", "status"))
        .append("<th class=\"ask-col\">asked (prompt · system)</th>")
        .append(th("error", "text", "error"))
        .append(th("seconds_sent", "num", "s sent"))
        .append(th("reply_seconds", "num", "s reply"))
        .append(th("prompt_tokens", "num", "tokens in"))
        .append(th("completion_tokens", "num", "tokens out"))
        .append(th("cost", "num", "cost"))
        .append(th("latency_ms", "num", "latency"))
        .append(th("attempts", "num", "attempts"))
        .append("<th class=\"media-col\">input · reply</th>")
        .append("</tr></thead><tbody></tbody></table></div>\n")
        .append("<noscript><p class=\"note\">The item table needs JavaScript; the same data is in ledger.jsonl.</p>"
            + "</noscript>\n</section>\n");

    sb.append("<script src=\"").append(DATA_FILE_NAME).append("\"></script>\n<script>").append(JS)
        .append("</script>\n</body>\n</html>\n");
    return sb.toString();
  }

  private static String items(int n) {
    return String.format(Locale.ROOT, "%,d", n) + (n == 1 ? " item" : " items");
  }

  private static String th(String key, String type, String label) {
    return "<th data-key=\"" + key + "\" data-type=\"" + type + "\"><button type=\"button\">" + label + "</button></th>";
  }

  private static void totals(StringBuilder sb, LedgerTally t, ReportModel model, String scope, boolean hidden) {
    sb.append("<section class=\"totals\" data-scope=\"").append(scope).append('"').append(hidden ? " hidden" : "")
        .append(" aria-label=\"").append(scope.equals("run") ? "Totals of this run's manifest" : "Totals")
        .append("\">\n");
    card(sb, "items", String.valueOf(t.items()), null, "all");
    card(sb, "ok", String.valueOf(t.ok()), null, "ok");
    card(sb, "failed", String.valueOf(t.failed()), counts(t.failedByCode()), "failed");
    card(sb, "skipped", String.valueOf(t.skipped()), counts(t.skippedByReason()), "skipped");
    card(sb, "uncertain", String.valueOf(t.uncertain()), t.uncertain() > 0 ? "in flight when a run died; may have been billed"
        : null, "uncertain");
    card(sb, "tokens in", String.format(Locale.ROOT, "%,d", t.spend().promptTokens()), null, null);
    card(sb, "tokens out", String.format(Locale.ROOT, "%,d", t.spend().completionTokens()), null, null);
    card(sb, "tokens total", String.format(Locale.ROOT, "%,d", t.spend().totalTokens()), null, null);
    card(sb, "cost", costText(t), costBreakdown(t) != null ? costBreakdown(t)
        : t.simulatedItems() > 0 ? "computed, not billed" : null, null);
    card(sb, "audio sent", String.format(Locale.ROOT, "%,.1f s", t.okSecondsSent()),
        String.format(Locale.ROOT, "of %,.1f s input; %,.1f s of replies", t.okInputSeconds(), t.okReplySeconds()), null);
    Double wall = number(model.summary, "wall_seconds");
    if (wall != null && scope.equals(model.runTotals == null ? "folder" : "run")) {
      Double perMin = number(model.summary, "items_per_minute");
      card(sb, "wall time", String.format(Locale.ROOT, "%.1f s", wall),
          perMin == null ? null : String.format(Locale.ROOT, "%.1f items/min", perMin), null);
    }
    sb.append("</section>\n");
  }

  /** The retries and faults table: which outcomes, how many retried, the extra attempts, their time. */
  private static void retries(StringBuilder sb, RetrySummary r) {
    sb.append("<section class=\"faults\" id=\"faults\" aria-label=\"Retries and faults\"><h2>Retries and faults</h2>");
    if (r.byOutcome.isEmpty()) {
      sb.append("<p class=\"note\">No request was concluded.</p></section>\n");
      return;
    }
    sb.append("<p class=\"note\">").append(r.retriedRequests == 0 ? "No request needed a retry."
        : String.format(Locale.ROOT, "%,d request%s needed retries: %,d extra attempt%s, %.1f s before their last attempt "
            + "(earlier attempts, back-off, waiting for a slot).", r.retriedRequests, r.retriedRequests == 1 ? "" : "s",
            r.extraAttempts, r.extraAttempts == 1 ? "" : "s", r.secondsBeforeLastAttempt))
        .append(" Split recordings count once per segment.</p>")
        .append("<table class=\"faults-table\"><thead><tr><th>final outcome</th><th class=\"num\">requests</th>")
        .append("<th class=\"num\">retried</th><th class=\"num\">extra attempts</th>")
        .append("<th class=\"num\">s before last attempt</th></tr></thead><tbody>");
    r.byOutcome.forEach((outcome, row) -> sb.append("<tr><td>").append(Html.escape(outcome.label())).append("</td><td class=\"num\">")
        .append(String.format(Locale.ROOT, "%,d", row.requests)).append("</td><td class=\"num\">")
        .append(String.format(Locale.ROOT, "%,d", row.retried)).append("</td><td class=\"num\">")
        .append(String.format(Locale.ROOT, "%,d", row.extraAttempts)).append("</td><td class=\"num\">")
        .append(String.format(Locale.ROOT, "%.1f", row.secondsBeforeLastAttempt)).append("</td></tr>"));
    sb.append("</tbody></table></section>\n");
  }

  /** "no speech: 3 · budget: 1", most frequent first; null when empty. */
  static String counts(Map<String, Integer> byName) {
    if (byName.isEmpty()) {
      return null;
    }
    List<Map.Entry<String, Integer>> e = new ArrayList<>(byName.entrySet());
    e.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    StringBuilder d = new StringBuilder();
    for (Map.Entry<String, Integer> x : e) {
      d.append(d.length() == 0 ? "" : " · ").append(x.getKey()).append(": ").append(x.getValue());
    }
    return d.toString();
  }

  /** The earlier-attempts and uncertain parts of the cost, or null when there are none. */
  private static String costBreakdown(LedgerTally t) {
    StringBuilder s = new StringBuilder();
    t.spendByCurrency().forEach((currency, spend) -> {
      String b = spend.breakdown(currency);
      if (b != null) {
        s.append(s.length() == 0 ? "" : "; ").append(b);
      }
    });
    return s.length() == 0 ? null : s.toString();
  }

  private static String costText(LedgerTally t) {
    if (t.costByCurrency().isEmpty()) {
      return "0";
    }
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, BigDecimal> e : t.costByCurrency().entrySet()) {
      s.append(s.length() == 0 ? "" : " + ").append(Cost.format(e.getValue())).append(' ').append(e.getKey());
    }
    return s.toString();
  }

  private static void card(StringBuilder sb, String label, String value, String detail, String status) {
    sb.append("<div class=\"card");
    if (status != null) {
      sb.append(" card-").append(status);
    }
    if ("0".equals(value)) {
      sb.append(" zero");
    }
    sb.append('"');
    if (status != null) {
      sb.append(" data-status=\"").append(status).append('"');
    }
    sb.append("><div class=\"label\">").append(Html.escape(label)).append("</div><div class=\"value\">")
        .append(Html.escape(value)).append("</div>");
    if (detail != null) {
      sb.append("<div class=\"detail\">").append(Html.escape(detail)).append("</div>");
    }
    sb.append("</div>\n");
  }

  private static void figure(StringBuilder sb, String id, String caption, String svg) {
    sb.append("<figure id=\"").append(id).append("\"><figcaption>").append(Html.escape(caption))
        .append("</figcaption>").append(svg).append("</figure>\n");
  }

  private static String text(JsonNode node, String field) {
    if (node == null || !node.hasNonNull(field)) {
      return null;
    }
    return node.get(field).asText();
  }

  private static Double number(JsonNode node, String field) {
    if (node == null || !node.hasNonNull(field) || !node.get(field).isNumber()) {
      return null;
    }
    return node.get(field).asDouble();
  }

  static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = BatchReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource io/glmvoicebatch/report/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
