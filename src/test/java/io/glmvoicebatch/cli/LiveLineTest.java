package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a terminal receives when log lines arrive while the progress line is drawn. */
class LiveLineTest {
  private static final String LOG = "2026-12-02T04:39:46.399Z [direct-runner-worker] INFO FileIO - Matched 1 files";

  @Test
  void aLogLineClearsTheRowAndTheLiveLineIsDrawnAgainBelowIt() {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    LiveLine live = new LiveLine(new PrintStream(screen, true, StandardCharsets.UTF_8), 40);
    live.draw("reading manifest | 0 in flight");
    live.logs().println(LOG);
    live.draw("3/8 done | 5 in flight");
    live.logs().print("a writer that never ends its line");
    live.draw("4/8 done | 4 in flight");
    live.finish("8/8 done | 0 in flight");
    String out = screen.toString(StandardCharsets.UTF_8);

    // Each row as the terminal shows it: the text after the last carriage return before each newline.
    List<String> rows = List.of(out.split("\n")).stream().map(l -> l.substring(l.lastIndexOf('\r') + 1).stripTrailing()).toList();
    assertEquals(List.of(LOG, "a writer that never ends its line", "8/8 done | 0 in flight"), rows, out);
    for (String piece : out.split("[\r\n]+")) {
      assertFalse(piece.contains(" in flight") && piece.contains("INFO"), "a log line on the progress row: " + piece);
    }
    assertTrue(out.contains("\r" + " ".repeat(40) + "\r" + LOG), "the row is cleared before the log line: " + out);
    assertTrue(out.endsWith("8/8 done | 0 in flight" + " ".repeat(40 - 22) + "\n"), out);
  }

  @Test
  void beforeTheFirstDrawALogLineIsWrittenAsItIs() {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    LiveLine live = new LiveLine(new PrintStream(screen, true, StandardCharsets.UTF_8), 40);
    live.logs().println(LOG);
    assertEquals(LOG + System.lineSeparator(), screen.toString(StandardCharsets.UTF_8));
  }
}
