package io.glmvoicebatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything the report shows, read from one output folder: the ledger's final states and the files. */
public final class ReportModel {
  final Path outputDir;
  final List<ReportItem> items;
  final ReportTotals totals;
  final List<String> unreadableLines;
  final int ledgerLines;
  /** summary.json as the batch wrote it, or null when absent or unreadable. */
  final JsonNode summary;

  private ReportModel(Path outputDir, List<ReportItem> items, ReportTotals totals, List<String> unreadableLines,
      int ledgerLines, JsonNode summary) {
    this.outputDir = outputDir;
    this.items = items;
    this.totals = totals;
    this.unreadableLines = unreadableLines;
    this.ledgerLines = ledgerLines;
    this.summary = summary;
  }

  public List<ReportItem> items() {
    return items;
  }

  public ReportTotals totals() {
    return totals;
  }

  /** Reads {@code outputDir}'s ledger, reply texts and summary.json. */
  public static ReportModel read(Path outputDir) throws IOException {
    OutputFolder folder = new OutputFolder(outputDir);
    Path root = folder.root();
    LedgerView view = LedgerView.read(folder.ledger());
    List<ReportItem> items = new ArrayList<>(view.latest().size());
    ReportTotals t = new ReportTotals();
    for (var e : view.latest().entrySet()) {
      ReportItem item = item(root, folder, e.getKey(), e.getValue());
      items.add(item);
      // A split recording's segments are rows of their own, but its item line already sums them.
      if (e.getValue().segment() == null) {
        add(t, e.getValue(), item);
      }
    }
    // Manifest order reads best; items without a manifest line (none today) keep ledger order, last.
    items.sort(java.util.Comparator.comparing(ReportItem::manifestLine,
        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
    JsonNode summary = null;
    if (Files.isRegularFile(folder.summary())) {
      try {
        summary = new ObjectMapper().readTree(folder.summary().toFile());
      } catch (IOException ignored) {
        summary = null; // a torn summary must not stop the report; the ledger is the truth
      }
    }
    return new ReportModel(root, Collections.unmodifiableList(items), t, view.unreadableLines(), view.lines().size(),
        summary);
  }

  static String state(String status) {
    if (status == null) {
      return "unknown";
    }
    return LedgerRecord.SENDING.equals(status) ? "uncertain" : status;
  }

  private static ReportItem item(Path root, OutputFolder folder, String key, LedgerRecord r) throws IOException {
    String state = state(r.status());
    boolean ok = r.isOk();
    String inputHref = null;
    if (ok && r.inputAudio() != null) {
      Path in = root.resolve(r.inputAudio()).normalize();
      if (Files.isRegularFile(in)) {
        inputHref = relativeHref(root, in);
      }
    }
    String replyHref = null;
    String replyText = null;
    boolean truncated = false;
    if (ok) {
      String audio = r.outputAudio() != null ? r.outputAudio() : folder.audioName(r.id());
      Path a = root.resolve(audio).normalize();
      if (Files.isRegularFile(a)) {
        replyHref = relativeHref(root, a);
      }
      String text = r.outputText() != null ? r.outputText() : folder.textName(r.id());
      Path tp = root.resolve(text).normalize();
      if (Files.isRegularFile(tp)) {
        // new String(...) replaces malformed UTF-8 rather than throwing, as readString would
        replyText = new String(Files.readAllBytes(tp), StandardCharsets.UTF_8);
        if (replyText.length() > BatchReport.MAX_REPLY_TEXT_CHARS) {
          replyText = replyText.substring(0, BatchReport.MAX_REPLY_TEXT_CHARS);
          truncated = true;
        }
      }
    }
    return new ReportItem(key, r.id(), r.segment(), r.status(), state, r.reason(),
        r.error() == null ? null : r.error().code(),
        r.error() == null || r.error().httpStatus() == 0 ? null : r.error().httpStatus(),
        r.error() == null ? null : r.error().message(), r.manifestLine(), r.inputSeconds(), r.secondsSent(),
        r.promptTokens(), r.completionTokens(), r.totalTokens(), r.costRmb(),
        r.currency() == null ? Cost.DEFAULT_CURRENCY : r.currency(), r.latencyMs(), r.attempts(), r.requestId(),
        r.inputAudio(), inputHref, replyHref, r.replySeconds(), replyText, truncated,
        Boolean.TRUE.equals(r.simulated()));
  }

  /** The relative link from the output folder to {@code target}, or a file: URL when none exists. */
  static String relativeHref(Path root, Path target) {
    try {
      String rel = root.relativize(target).toString();
      return rel.isEmpty() ? "." : Html.hrefPath(rel);
    } catch (IllegalArgumentException differentRoots) {
      return target.toUri().toASCIIString();
    }
  }

  private static void add(ReportTotals t, LedgerRecord r, ReportItem item) {
    t.items++;
    switch (item.state()) {
      case "ok" -> t.ok++;
      case "failed" -> {
        t.failed++;
        t.failedByCode.merge(item.errorCode() == null ? "unknown" : item.errorCode(), 1, Integer::sum);
      }
      case "skipped" -> {
        t.skipped++;
        t.skippedByReason.merge(r.reason() == null ? "unknown" : r.reason(), 1, Integer::sum);
      }
      case "uncertain" -> t.uncertain++;
      default -> t.other++;
    }
    if (r.totalTokens() != null) {
      t.promptTokens += r.promptTokens() == null ? 0 : r.promptTokens();
      t.completionTokens += r.completionTokens() == null ? 0 : r.completionTokens();
      t.totalTokens += r.totalTokens();
    }
    if (r.costRmb() != null) {
      try {
        BigDecimal c = new BigDecimal(r.costRmb());
        t.costByCurrency.merge(item.currency(), c, BigDecimal::add);
      } catch (NumberFormatException ignored) {
        // a malformed cost is shown as written in the table and left out of the sum
      }
    }
    if (r.isOk()) {
      if (r.secondsSent() != null) {
        t.secondsSent += r.secondsSent();
      }
      if (r.inputSeconds() != null) {
        t.inputSeconds += r.inputSeconds();
      }
      if (r.replySeconds() != null) {
        t.replySeconds += r.replySeconds();
      }
    }
    if (item.simulated()) {
      t.simulatedItems++;
    }
  }
}
