package io.glmvoicebatch.cli;

import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.RunTally;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  private final String currency;
  private final PrintStream terminal;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;

  private ProgressReporter(RunTally tally, IntSupplier inFlight, LongSupplier total, String currency, PrintStream terminal,
      Duration interval) {
    this.tally = tally;
    this.inFlight = inFlight;
    this.total = total;
    this.currency = currency;
    this.terminal = terminal;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    long period = terminal != null ? 1000 : interval.toMillis();
    timer.scheduleAtFixedRate(this::report, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts reporting. {@code terminal} is where a live line goes when stderr is a terminal, or null for
   * periodic log lines.
   */
  static ProgressReporter start(RunTally tally, GlmVoiceClient client, LongSupplier total, String currency,
      PrintStream terminal, Duration interval) {
    return new ProgressReporter(tally, client::inFlight, total, currency, terminal, interval);
  }

  String line() {
    long done = tally.done();
    double minutes = (System.nanoTime() - startNanos) / 6e10;
    long sentDone = tally.ok() + tally.failed();
    double perMinute = minutes > 0 ? sentDone / minutes : 0;
    long remaining = Math.max(0, total.getAsLong() - done);
    String eta = perMinute > 0 ? formatDuration(Duration.ofSeconds((long) (remaining / perMinute * 60))) : "--";
    return String.format(Locale.ROOT,
        "%d/%d done (%d ok, %d failed, %d skipped, %d already done) | %d in flight | %d tokens, %s %s | %.1f items/min | ETA %s",
        done, total.getAsLong(), tally.ok(), tally.failed(), tally.skipped(), tally.alreadyDone(), inFlight.getAsInt(),
        tally.tokens(), Cost.format(tally.cost().stripTrailingZeros()), currency, perMinute, eta);
  }

  private void report() {
    try {
      if (terminal != null) {
        terminal.print("\r" + line() + "  ");
        terminal.flush();
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
    if (terminal != null) {
      terminal.print("\r" + line() + "\n");
      terminal.flush();
    }
  }
}
