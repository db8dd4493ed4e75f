package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.RunTally;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What Ctrl-C (or a kill) tells the operator: the requests that were in flight, which the ledger keeps as
 * {@code sending} and the next run marks {@code uncertain} (they may have been billed), and how to resume.
 * The JVM then exits with 128 + the signal's number (130 for Ctrl-C). Printed from a shutdown hook, which
 * only the process's own entry point installs; a batch that ended by itself has nothing to report.
 */
final class InterruptNotice {
  /** {@code terminal}: err is a terminal, so the notice is broken between words to fit 80 columns. */
  private record Running(RunTally tally, String outputDir, PrintStream err, boolean terminal) {}

  private static volatile Running running;

  private InterruptNotice() {}

  static void install() {
    Runtime.getRuntime().addShutdownHook(new Thread(InterruptNotice::print, "interrupt-notice"));
  }

  /** A batch is sending: a signal from now on is reported. */
  static void running(RunTally tally, String outputDir, PrintStream err, boolean terminal) {
    running = new Running(tally, outputDir, err, terminal);
  }

  /** The batch ended by itself. */
  static void finished() {
    running = null;
  }

  private static void print() {
    Running r = running;
    if (r != null) {
      r.err().println();
      r.err().println(shown(message(r.tally().inFlightKeys(), r.outputDir()), r.terminal()));
      r.err().flush();
    }
  }

  /** A log keeps the notice one line, for grep; a terminal gets it in rows that do not cut a word. */
  static String shown(String message, boolean terminal) {
    return terminal ? WordWrap.text(message, WordWrap.COLUMNS, "") : message;
  }

  static String message(Set<String> inFlight, String outputDir) {
    List<String> shown = new ArrayList<>(inFlight);
    String ids = shown.isEmpty() ? "" : ": " + String.join(", ", shown.subList(0, Math.min(20, shown.size())))
        + (shown.size() > 20 ? ", ..." : "");
    return String.format(Locale.ROOT, "interrupted: %d request(s) were in flight%s. They stay 'sending' in the "
        + "ledger; the next run marks them uncertain (they may have been billed) and sends them again. To resume, "
        + "run the same command again (--outputDir=%s).", inFlight.size(), ids, outputDir);
  }
}
