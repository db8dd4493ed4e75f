package io.glmvoicebatch.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Text broken between words into rows that fit a width, for what the CLI prints to an 80-column terminal
 * ({@code --help}, the SIMULATED banner): a terminal wraps a long row mid-word. A word longer than the
 * width (a URL) stands on a row of its own.
 */
final class WordWrap {
  /** The width of our own fixed text (help, banner, notices): one less than an 80-column terminal's. */
  static final int COLUMNS = Terminal.DEFAULT_COLUMNS - 1;

  private WordWrap() {}

  /** {@code text}'s words in rows of at most {@code width} characters, each row starting with {@code indent}. */
  static List<String> rows(String text, int width, String indent) {
    List<String> rows = new ArrayList<>();
    StringBuilder row = new StringBuilder(indent);
    for (String word : text.strip().split("\\s+")) {
      boolean empty = row.length() == indent.length();
      if (!empty && row.length() + 1 + word.length() > width) {
        rows.add(row.toString());
        row.setLength(0);
        row.append(indent);
        empty = true;
      }
      row.append(empty ? "" : " ").append(word);
    }
    rows.add(row.toString());
    return rows;
  }

  /** The rows joined by newlines. */
  static String text(String text, int width, String indent) {
    return String.join("\n", rows(text, width, indent));
  }
}
