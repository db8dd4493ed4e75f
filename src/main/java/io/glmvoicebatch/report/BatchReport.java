package io.glmvoicebatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.OutputFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The batch report: one self-contained {@code report.html} in the output folder (inline CSS, JS and SVG;
 * no network). It shows the totals, four charts, and a sortable, filterable table of every item with its
 * input and reply audio and reply text.
 *
 * <p>Audio is linked, not embedded: the reply as {@code audio/<id>.wav} and the input as a relative path
 * from the output folder to the original file, so the report stays small at any batch size and plays as
 * long as it is opened from inside its output folder. Reply texts are embedded (at most
 * {@link #MAX_REPLY_TEXT_CHARS} characters each).
 */
public final class BatchReport {
  public static final String FILE_NAME = "report.html";
  /** Reply texts longer than this are cut in the report (the full text stays in text/). */
  public static final int MAX_REPLY_TEXT_CHARS = 20_000;

  private static final String CSS = resource("report.css");
  private static final String JS = resource("report.js");

  private BatchReport() {}

  /** Writes {@code <outputDir>/report.html} from the folder's ledger and files, and returns its path. */
  public static Path write(Path outputDir) throws IOException {
    return Path.of(write(new OutputFolder(outputDir)));
  }

  /**
   * Writes the report into {@code folder}, local or on any Beam filesystem, replacing the old one whole
   * ({@link OutputFolder#write}); returns where.
   */
  public static String write(OutputFolder folder) throws IOException {
    String html = render(ReportModel.read(folder));
    try {
      folder.writeText(FILE_NAME, html);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return folder.locate(FILE_NAME);
  }

  /** The page for {@code model}. */
  static String render(ReportModel model) {
    ReportTotals t = model.totals;
    StringBuilder sb = new StringBuilder(64 * 1024 + model.items.size() * 1024);
    String location = model.folder.location();
    String trimmed = location.replaceAll("[/\\\\]+$", "");
    String lastName = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
    String folderName = lastName.isEmpty() ? location : lastName;
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '")
        .append(sha256(JS)).append("'; style-src '").append(sha256(CSS))
        .append("'; img-src data:; media-src 'self' file:; base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"generator\" content=\"glm-voice-batch\">\n")
        .append("<title>Batch report: ").append(Html.escape(folderName)).append("</title>\n")
        .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");

    sb.append("<header><h1>glm-voice-batch report</h1><p class=\"meta\">Output folder <code>")
        .append(Html.escape(model.folder.location())).append("</code> · generated ")
        .append(Html.escape(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())).append(" · ")
        .append(model.ledgerLines).append(" ledger lines, ").append(t.items).append(" items</p></header>\n");

    if (t.simulatedItems > 0) {
      sb.append("<div class=\"banner simulated\" role=\"alert\" id=\"simulated-banner\"><strong>SIMULATED: outputs are "
          + "synthetic</strong><span>");
      sb.append(t.simulatedItems == t.items ? "Every item" : t.simulatedItems + " of " + t.items + " items")
          .append(" was answered by the embedded GLM-4-Voice simulator (no API key): reply audio and text are "
              + "synthetic, and tokens and cost are what the real service would have billed, not a bill.</span></div>\n");
    }
    String stop = text(model.summary, "stop_reason");
    if (stop != null) {
      sb.append("<div class=\"banner stopped\" role=\"alert\"><strong>STOPPED EARLY</strong><span>")
          .append(Html.escape(stop)).append("</span></div>\n");
    }
    if (!model.unreadableLines.isEmpty()) {
      sb.append("<div class=\"banner warn\"><strong>").append(model.unreadableLines.size())
          .append(" ledger line(s) could not be read</strong><span>");
      List<String> shown = model.unreadableLines.subList(0, Math.min(5, model.unreadableLines.size()));
      sb.append(Html.escape(String.join("; ", shown))).append("</span></div>\n");
    }

    // Totals
    sb.append("<section class=\"totals\" aria-label=\"Batch totals\">\n");
    card(sb, "items", String.valueOf(t.items), null, "all");
    card(sb, "ok", String.valueOf(t.ok), null, "ok");
    card(sb, "failed", String.valueOf(t.failed), failedDetail(t), "failed");
    card(sb, "skipped", String.valueOf(t.skipped), t.skippedByReason.isEmpty() ? null : t.skippedByReason.toString(),
        "skipped");
    card(sb, "uncertain", String.valueOf(t.uncertain), t.uncertain > 0 ? "in flight when a run died; may have been billed"
        : null, "uncertain");
    card(sb, "tokens in", String.format(Locale.ROOT, "%,d", t.promptTokens), null, null);
    card(sb, "tokens out", String.format(Locale.ROOT, "%,d", t.completionTokens), null, null);
    card(sb, "tokens total", String.format(Locale.ROOT, "%,d", t.totalTokens), null, null);
    card(sb, "cost", costText(t), price(model), null);
    card(sb, "audio sent", String.format(Locale.ROOT, "%.1f s", t.secondsSent),
        String.format(Locale.ROOT, "of %.1f s input; %.1f s of replies", t.inputSeconds, t.replySeconds), null);
    Double wall = number(model.summary, "wall_seconds");
    if (wall != null) {
      Double perMin = number(model.summary, "items_per_minute");
      card(sb, "wall time", String.format(Locale.ROOT, "%.1f s", wall),
          perMin == null ? null : String.format(Locale.ROOT, "%.1f items/min", perMin), null);
    }
    sb.append("</section>\n");

    // Charts
    sb.append("<section class=\"charts\" aria-label=\"Charts\">\n");
    figure(sb, "chart-latency", "Latency distribution", Charts.latencyHistogram(model.items));
    figure(sb, "chart-cost", "Cost per item", Charts.costPerItem(model.items));
    figure(sb, "chart-tokens", "Tokens in vs. audio seconds sent", Charts.tokensVsSeconds(model.items));
    figure(sb, "chart-failures", "Failures by error code", Charts.failuresByCode(t.failedByCode));
    sb.append("</section>\n");

    // Items table: rows are built by the script from the JSON blob below.
    sb.append("<section class=\"items\" aria-label=\"Items\">\n<h2>Items</h2>\n<div class=\"controls\">")
        .append("<label>Filter <input type=\"search\" id=\"filter-text\" placeholder=\"id, error, reply text…\"")
        .append(" autocomplete=\"off\"></label>")
        .append("<label>Status <select id=\"filter-status\"><option value=\"\">all</option>")
        .append("<option value=\"ok\">ok</option><option value=\"failed\">failed</option>")
        .append("<option value=\"skipped\">skipped</option><option value=\"uncertain\">uncertain</option>")
        .append("</select></label><span id=\"row-count\" aria-live=\"polite\"></span></div>\n")
        .append("<p class=\"note\">Reply audio plays from <code>audio/</code> and input audio from its original "
            + "location, linked relative to this folder: open the report from inside its output folder. "
            + "Click a column header to sort.</p>\n")
        .append("<div class=\"table-wrap\"><table id=\"items\"><thead><tr>")
        .append("<th data-key=\"id\" data-type=\"text\"><button type=\"button\">id</button></th>")
        .append("<th data-key=\"state\" data-type=\"text\"><button type=\"button\">status</button></th>")
        .append("<th data-key=\"error\" data-type=\"text\"><button type=\"button\">error</button></th>")
        .append("<th data-key=\"input_seconds\" data-type=\"num\"><button type=\"button\">s in</button></th>")
        .append("<th data-key=\"seconds_sent\" data-type=\"num\"><button type=\"button\">s sent</button></th>")
        .append("<th data-key=\"prompt_tokens\" data-type=\"num\"><button type=\"button\">tokens in</button></th>")
        .append("<th data-key=\"completion_tokens\" data-type=\"num\"><button type=\"button\">tokens out</button></th>")
        .append("<th data-key=\"cost\" data-type=\"num\"><button type=\"button\">cost</button></th>")
        .append("<th data-key=\"latency_ms\" data-type=\"num\"><button type=\"button\">latency</button></th>")
        .append("<th data-key=\"attempts\" data-type=\"num\"><button type=\"button\">attempts</button></th>")
        .append("<th class=\"media-col\">input · reply</th>")
        .append("</tr></thead><tbody></tbody></table></div>\n")
        .append("<noscript><p class=\"note\">The item table needs JavaScript; the same data is in ledger.jsonl.</p>"
            + "</noscript>\n</section>\n");

    sb.append("<script type=\"application/json\" id=\"report-data\">").append(Html.scriptJson(dataJson(model)))
        .append("</script>\n<script>").append(JS).append("</script>\n</body>\n</html>\n");
    return sb.toString();
  }

  /** The JSON blob: totals and one object per item (see {@link ReportItem}), before script escaping. */
  static String dataJson(ReportModel model) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("format", 1);
    data.put("item_count", model.items.size());
    data.put("simulated_items", model.totals.simulatedItems);
    Map<String, String> cost = new LinkedHashMap<>();
    model.totals.costByCurrency.forEach((c, v) -> cost.put(c, Cost.format(v)));
    data.put("cost_by_currency", cost);
    data.put("items", model.items);
    try {
      return new ObjectMapper().writeValueAsString(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String failedDetail(ReportTotals t) {
    if (t.failedByCode.isEmpty()) {
      return null;
    }
    StringBuilder d = new StringBuilder();
    t.failedByCode.forEach((c, n) -> d.append(d.length() == 0 ? "" : ", ").append(c).append(' ').append(n));
    return d.toString();
  }

  private static String costText(ReportTotals t) {
    if (t.costByCurrency.isEmpty()) {
      return "0";
    }
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, BigDecimal> e : t.costByCurrency.entrySet()) {
      s.append(s.length() == 0 ? "" : " + ").append(Cost.format(e.getValue())).append(' ').append(e.getKey());
    }
    return s.toString();
  }

  private static String price(ReportModel model) {
    return model.totals.simulatedItems > 0 ? "computed, not billed" : null;
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
