package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.RunTally;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of a running batch. On a terminal: one line on stderr, redrawn in place every second. Not
 * on a terminal (cron, CI, a pipe): a plain log line every N seconds with the same figures, no control
 * characters, so the next morning's log reads cleanly.
 */
final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final RunTally tally;
  private final IntSupplier inFlight;
  private final LongSupplier total;
  /** False while the total is still being counted: it is then a lower bound, shown with a "+". */
  private final BooleanSupplier totalComplete;
  private final String currency;
  /** The live line when stderr is a terminal, else null (log lines). */
  private final LiveLine live;
  /** System.err before the live line took it over, given back on close. */
  private final PrintStream previousErr;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  /** The live line's width: one less than the terminal's, so the cursor never wraps to a new line. */
  private final int width;

  /**
   * Starts reporting. {@code inFlight} is this JVM's client's count, or the ledger's when the workers are
   * other JVMs; {@code terminal} is where a live line goes when stderr is a terminal, or null for periodic
   * log lines.
   */
  ProgressReporter(RunTally tally, IntSupplier inFlight, LongSupplier total, BooleanSupplier totalComplete,
      String currency, PrintStream terminal, Duration interval) {
    this.tally = tally;
    this.inFlight = inFlight;
    this.total = total;
    this.totalComplete = totalComplete;
    this.currency = currency;
    this.width = terminal == null ? Integer.MAX_VALUE : Math.max(20, Terminal.columns(System.getenv()) - 1);
    this.previousErr = System.err;
    this.live = terminal == null ? null : new LiveLine(terminal, width);
    if (live != null) {
      // Log lines of every thread now clear the row first, so none runs on from the progress text.
      System.setErr(live.logs());
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    long period = terminal != null ? 1000 : interval.toMillis();
    timer.scheduleAtFixedRate(this::report, period, period, TimeUnit.MILLISECONDS);
  }

  /** The full line, as logged when stderr is not a terminal. */
  String line() {
    return String.join(" | ", parts(false));
  }

  /**
   * The line for a terminal {@code width} columns wide: short labels, and the least needed parts dropped
   * (the rate, then the cost, then the counts by status) until it fits.
   */
  String line(int width) {
    List<String> parts = new ArrayList<>(parts(true));
    String text = String.join(" | ", parts);
    for (int drop : new int[] {4, 3, 1}) { // rate, cost, counts (indexes into the full list)
      if (text.length() <= width) {
        break;
      }
      parts.set(drop, null);
      text = String.join(" | ", parts.stream().filter(p -> p != null).toList());
    }
    return text.length() <= width ? text : text.substring(0, width);
  }

  private List<String> parts(boolean compact) {
    // Each count read once, so the line's done always equals the sum of its parts.
    long ok = tally.ok();
    long failed = tally.failed();
    long skipped = tally.skipped();
    long prior = tally.alreadyDone();
    long done = ok + failed + skipped + prior;
    double minutes = (System.nanoTime() - startNanos) / 6e10;
    long sentDone = ok + failed;
    double perMinute = minutes > 0 ? sentDone / minutes : 0;
    long total = this.total.getAsLong();
    long remaining = Math.max(0, total - done);
    // No manifest line counted yet (the pipeline is starting): "0/0 done" and an ETA would both be wrong.
    boolean counted = total > 0;
    boolean complete = counted && totalComplete.getAsBoolean();
    String eta = complete && perMinute > 0
        ? formatDuration(Duration.ofSeconds((long) (remaining / perMinute * 60))) : "--";
    String cost = Cost.format(tally.cost().stripTrailingZeros()) + " " + currency;
    List<String> parts = new ArrayList<>();
    parts.add(!counted ? "reading manifest" : done + "/" + total + (complete ? "" : "+") + " done");
    parts.add(compact
        ? String.format(Locale.ROOT, "%d ok %d fail %d skip %d prior", ok, failed, skipped, prior)
        : String.format(Locale.ROOT, "(%d ok, %d failed, %d skipped, %d already done)", ok, failed, skipped, prior));
    parts.add(inFlight.getAsInt() + " in flight");
    parts.add(compact ? cost : tally.tokens() + " tokens, " + cost);
    parts.add(String.format(Locale.ROOT, compact ? "%.0f/min" : "%.1f items/min", perMinute));
    parts.add("ETA " + eta);
    if (!compact) {
      // The log form keeps its historical shape: "N/M done (counts) | ...".
      parts.set(0, parts.get(0) + " " + parts.remove(1));
    }
    return parts;
  }

  private void report() {
    try {
      if (live != null) {
        live.draw(line(width));
      } else {
        LOG.info("progress: {}", line());
      }
    } catch (RuntimeException e) {
      LOG.debug("progress line failed", e);
    }
  }

  static String formatDuration(Duration d) {
    long s = d.getSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (live != null) {
      if (System.err == live.logs()) {
        System.setErr(previousErr);
      }
      live.finish(line(width));
    }
  }
}
