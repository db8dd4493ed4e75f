package io.glmvoicebatch.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The terminal the live progress line is drawn on: stderr, and only when stderr itself is a terminal
 * ({@code System.console()} is about stdin and stdout, so {@code cmd 2>log} would fill the log with
 * redraws), and only as wide as the terminal.
 */
final class Terminal {
  static final int DEFAULT_COLUMNS = 80;

  private Terminal() {}

  /** True when {@code err} is the process's stderr and that is a terminal. */
  static boolean stderrIsTerminal(PrintStream err) {
    return err == System.err && isTerminal(2);
  }

  /** {@code test -t fd}: from /proc on Linux, else by asking the shell with the descriptor inherited. */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException noProc) {
      if (fd != 2) {
        return false;
      }
      try {
        Process p = new ProcessBuilder("sh", "-c", "test -t 2").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException | RuntimeException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** The terminal's width: {@code $COLUMNS}, else {@code stty size} on /dev/tty, else 80. */
  static int columns(Map<String, String> env) {
    Integer fromEnv = positive(env.get("COLUMNS"));
    if (fromEnv != null) {
      return fromEnv;
    }
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String size = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] rowsCols = size.split("\\s+");
        Integer cols = rowsCols.length == 2 ? positive(rowsCols[1]) : null;
        if (cols != null) {
          return cols;
        }
      }
    } catch (IOException | RuntimeException e) {
      // no terminal to ask
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_COLUMNS;
  }

  private static Integer positive(String text) {
    try {
      int n = Integer.parseInt(text == null ? "" : text.trim());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
