package io.glmvoicebatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerMoney;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerTally;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.UsageCost;
import io.glmvoicebatch.manifest.IdLines;
import io.glmvoicebatch.manifest.RemoteFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the report shows, read from one output folder: the ledger's final states and the files.
 *
 * <p>The ledger is streamed twice and never held: the first pass notes each key's last line, the second
 * turns each last line into a {@link ReportItem}, hands it to a sink (the data file's writer) and folds it
 * into the totals, the chart summaries and the retry summary. Memory grows with the number of keys (a
 * 64-bit hash and an int each, {@link IdLines}), not with their records.
 */
public final class ReportModel {
  /** The first unreadable ledger lines shown in the page; the count covers them all. */
  private static final int UNREADABLE_SHOWN = 5;

  final OutputFolder folder;
  /** Every item of the folder. */
  final LedgerTally totals;
  /** The items of the manifest of the run that writes the report, or null when unknown. */
  final LedgerTally runTotals;
  final ChartData charts;
  final RetrySummary retries;
  final List<String> unreadableLines = new ArrayList<>();
  int unreadableCount;
  int ledgerLines;
  int rows;
  /** summary.json as the batch wrote it, or null when absent or unreadable. */
  JsonNode summary;
  /** The rows, only when read for a caller that wants them held ({@link #read(OutputFolder)}). */
  private List<ReportItem> items;

  private ReportModel(OutputFolder folder, boolean withRun) {
    this.folder = folder;
    this.totals = new LedgerTally();
    this.runTotals = withRun ? new LedgerTally() : null;
    this.charts = new ChartData();
    this.retries = new RetrySummary();
  }

  /** The rows, when read with {@link #read(Path)} or {@link #read(OutputFolder)}. */
  public List<ReportItem> items() {
    return items;
  }

  public LedgerTally totals() {
    return totals;
  }

  /** Reads {@code outputDir}, holding every row (small folders, tests). */
  public static ReportModel read(Path outputDir) throws IOException {
    return read(new OutputFolder(outputDir));
  }

  /** Reads the folder, holding every row, ordered by manifest line. */
  public static ReportModel read(OutputFolder folder) throws IOException {
    List<ReportItem> held = new ArrayList<>();
    ReportModel m = read(folder, null, held::add);
    held.sort(java.util.Comparator.comparing(ReportItem::manifestLine,
        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
    m.items = Collections.unmodifiableList(held);
    return m;
  }

  /**
   * Streams the folder's ledger, giving each item's row to {@code sink} in ledger order.
   *
   * @param runIds the item ids of the manifest of the run writing the report, or null when not known
   */
  static ReportModel read(OutputFolder folder, IdLines runIds, Consumer<ReportItem> sink) throws IOException {
    ReportModel m = new ReportModel(folder, runIds != null);
    LedgerLocation ledger = folder.ledgerLocation();
    LedgerMoney index = new LedgerMoney();
    ledger.forEachLine((n, r, bad) -> {
      if (r != null) {
        index.index(n, r);
      }
    });
    IOException[] failure = new IOException[1];
    ledger.forEachLine((n, r, bad) -> {
      m.ledgerLines++;
      if (r == null) {
        m.unreadableCount++;
        if (m.unreadableLines.size() < UNREADABLE_SHOWN) {
          m.unreadableLines.add(bad);
        }
        return;
      }
      boolean inRun = runIds == null || runIds.contains(r.id());
      m.totals.add(index, n, r);
      if (m.runTotals != null && inRun) {
        m.runTotals.add(index, n, r);
      }
      if (!index.isLast(n, r) || failure[0] != null) {
        return;
      }
      try {
        ReportItem item = item(folder, LedgerView.key(r.id(), r.segment()), r, inRun);
        sink.accept(item);
        m.fold(r, item);
      } catch (IOException e) {
        failure[0] = e;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    if (folder.exists(OutputFolder.SUMMARY)) {
      try {
        m.summary = new ObjectMapper().readTree(folder.read(OutputFolder.SUMMARY));
      } catch (IOException | RuntimeException ignored) {
        m.summary = null; // a torn summary must not stop the report; the ledger is the truth
      }
    }
    return m;
  }

  /** A row's place in the charts and the retry summary; the totals are the tallies'. */
  private void fold(LedgerRecord r, ReportItem item) {
    rows++;
    retries.add(r, item);
    // A split recording's segments are rows of their own, but its item line already sums them.
    if (item.segment() == null) {
      charts.add(item);
    }
  }

  private static ReportItem item(OutputFolder folder, String key, LedgerRecord r, boolean inRun) throws IOException {
    String state = r.status().itemState().wire();
    boolean ok = r.isOk();
    String inputHref = null;
    boolean inputIsOriginal = false;
    String replyHref = null;
    String replyText = null;
    boolean truncated = false;
    if (ok) {
      String sent = r.input().sentAudio() != null ? folder.inside(r.input().sentAudio())
          : folder.normalizedName(r.id(), r.segment());
      // A split recording's item line was sent as its segments: their rows carry the players.
      boolean stitched = r.place().isStitchedItem();
      if (!stitched && folder.exists(sent)) {
        inputHref = href(folder, sent);
      } else if (!stitched && r.input().audio() != null) {
        inputHref = originalHref(folder, r.input().audio()); // a folder written before the audio as sent was kept
        inputIsOriginal = inputHref != null;
      }
      String audio = r.reply().outputAudio() != null ? folder.inside(r.reply().outputAudio())
          : folder.audioName(r.id());
      if (folder.exists(audio)) {
        replyHref = href(folder, audio);
      }
      String text = r.reply().outputText() != null ? folder.inside(r.reply().outputText()) : folder.textName(r.id());
      if (folder.exists(text)) {
        // new String(...) replaces malformed UTF-8 rather than throwing, as readString would
        replyText = new String(folder.read(text), StandardCharsets.UTF_8);
        if (replyText.length() > BatchReport.MAX_REPLY_TEXT_CHARS) {
          replyText = replyText.substring(0, BatchReport.MAX_REPLY_TEXT_CHARS);
          truncated = true;
        }
      }
    }
    UsageCost usage = r.usage();
    return new ReportItem(key, r.id(), r.segment(), r.segments(), r.status().wire(), state, r.reason(),
        r.error() == null ? null : r.error().code(),
        r.error() == null || r.error().httpStatus() == 0 ? null : r.error().httpStatus(),
        r.error() == null ? null : r.error().message(), r.manifestLine(), r.input().seconds(), r.input().secondsSent(),
        usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), usage.costRmb(),
        LedgerMoney.currencyOf(r), r.call().latencyMs(), r.call().attempts(), r.call().requestId(),
        r.input().audio(), inputHref, inputIsOriginal, replyHref, r.reply().replySeconds(), replyText, truncated,
        r.params().prompt(), r.params().system(), inRun, Boolean.TRUE.equals(r.call().simulated()));
  }

  /** The link to a file of the folder, relative to report.html (which sits at the folder's top). */
  private static String href(OutputFolder folder, String relative) {
    return folder.isLocal() ? relativeHref(folder.root(), folder.root().resolve(relative).normalize())
        : Html.hrefPath(relative);
  }

  /** A link to the original recording: relative on a local disk, the URI itself when it names one. */
  private static String originalHref(OutputFolder folder, String input) {
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
}
