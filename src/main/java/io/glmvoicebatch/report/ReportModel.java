package io.glmvoicebatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.RemoteFiles;
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
  final OutputFolder folder;
  final List<ReportItem> items;
  final ReportTotals totals;
  final List<String> unreadableLines;
  final int ledgerLines;
  /** summary.json as the batch wrote it, or null when absent or unreadable. */
  final JsonNode summary;

  private ReportModel(OutputFolder folder, List<ReportItem> items, ReportTotals totals, List<String> unreadableLines,
      int ledgerLines, JsonNode summary) {
    this.folder = folder;
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
    return read(new OutputFolder(outputDir));
  }

  /** Reads the folder's ledger, reply texts and summary.json, wherever the folder lives. */
  public static ReportModel read(OutputFolder folder) throws IOException {
    LedgerView view = folder.ledgerLocation().read();
    List<ReportItem> items = new ArrayList<>(view.latest().size());
    ReportTotals t = new ReportTotals();
    for (var e : view.latest().entrySet()) {
      ReportItem item = item(folder, e.getKey(), e.getValue());
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
    if (folder.exists(OutputFolder.SUMMARY)) {
      try {
        summary = new ObjectMapper().readTree(folder.read(OutputFolder.SUMMARY));
      } catch (IOException | RuntimeException ignored) {
        summary = null; // a torn summary must not stop the report; the ledger is the truth
      }
    }
    return new ReportModel(folder, Collections.unmodifiableList(items), t, view.unreadableLines(), view.lines().size(),
        summary);
  }

  static String state(String status) {
    if (status == null) {
      return "unknown";
    }
    return LedgerRecord.SENDING.equals(status) ? "uncertain" : status;
  }

  private static ReportItem item(OutputFolder folder, String key, LedgerRecord r) throws IOException {
    String state = state(r.status());
    boolean ok = r.isOk();
    String inputHref = null;
    if (ok && r.inputAudio() != null) {
      inputHref = inputHref(folder, r.inputAudio());
    }
    String replyHref = null;
    String replyText = null;
    boolean truncated = false;
    if (ok) {
      String audio = r.outputAudio() != null ? r.outputAudio() : folder.audioName(r.id());
      if (folder.exists(audio)) {
        // Reply files sit under the report's own folder, whatever filesystem that is.
        replyHref = folder.isLocal() ? relativeHref(folder.root(), folder.root().resolve(audio).normalize())
            : Html.hrefPath(audio);
      }
      String text = r.outputText() != null ? r.outputText() : folder.textName(r.id());
      if (folder.exists(text)) {
        // new String(...) replaces malformed UTF-8 rather than throwing, as readString would
        replyText = new String(folder.read(text), StandardCharsets.UTF_8);
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

  /** A link to the input recording: relative on a local disk, the URI itself when it names one. */
  private static String inputHref(OutputFolder folder, String input) {
    if (RemoteFiles.isUri(input)) {
      return input;
    }
    if (!folder.isLocal()) {
      return null; // a local path seen from a report in an object store: no link would work
    }
    Path in = folder.root().resolve(input).normalize();
    return Files.isRegularFile(in) ? relativeHref(folder.root(), in) : null;
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
