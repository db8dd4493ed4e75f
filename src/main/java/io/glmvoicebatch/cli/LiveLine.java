package io.glmvoicebatch.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The progress line drawn in place on a terminal, and the stream everything else writes to stderr through
 * while it is drawn. A log line written meanwhile (Beam's, ours, a warning) first clears the row, then
 * the live line is drawn again below it: without this, a log line continued the progress text on the
 * same row and the next redraw overwrote its start.
 */
final class LiveLine {
  private final PrintStream terminal;
  /** The row's width: the live line is padded to it so a shorter line clears a longer one. */
  private final int width;
  private final PrintStream logs;
  /** The live line as last drawn; empty before the first. */
  private String text = "";
  private boolean drawn;
  /** A log line has started and not yet ended with its newline. */
  private boolean midLine;

  /** {@code terminal}: the real stderr; {@code width}: columns the line may use (one less than the terminal's). */
  LiveLine(PrintStream terminal, int width) {
    this.terminal = terminal;
    this.width = width;
    this.logs = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        log(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        log(b, off, len);
      }

      @Override
      public void flush() {
        terminal.flush();
      }
    }, true, StandardCharsets.UTF_8);
  }

  /** The stream for everything but the live line while it is shown (what System.err becomes). */
  PrintStream logs() {
    return logs;
  }

  /** Draws {@code line} in place of the previous one. */
  synchronized void draw(String line) {
    text = line;
    if (midLine) {
      // A writer that never ends its line must not freeze the progress: end the line for it.
      terminal.print('\n');
      midLine = false;
    }
    redraw();
    terminal.flush();
  }

  /** Draws {@code line} a last time and leaves the cursor on the next row. */
  synchronized void finish(String line) {
    draw(line);
    terminal.print('\n');
    terminal.flush();
    drawn = false;
    text = "";
  }

  private synchronized void log(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    if (drawn) {
      terminal.print("\r" + " ".repeat(width) + "\r");
      drawn = false;
    }
    terminal.write(b, off, len);
    midLine = b[off + len - 1] != '\n';
    if (!midLine) {
      redraw();
    }
    terminal.flush();
  }

  private void redraw() {
    if (text.isEmpty()) {
      return;
    }
    terminal.print("\r" + (text.length() >= width ? text : text + " ".repeat(width - text.length())));
    drawn = true;
  }
}
