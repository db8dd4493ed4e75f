package io.glmvoicebatch.manifest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 4180 rows over a stream of physical lines: quoted fields may hold commas, quotes ("") and newlines.
 * Reads one row ahead at most, so a manifest of any size streams through it. A null line is one that could
 * not be decoded: its row's problem is {@link #UNDECODABLE} (the line's own problem says why).
 */
final class CsvLineSplitter {
  /** One logical row; {@code line} is where it starts. */
  record Row(int line, List<String> cells, String problem) {}

  static final String UNDECODABLE = "undecodable";

  private final Iterator<String> lines;
  private final char delimiter;
  private int next;

  /** {@code firstLine}: the 1-based number of the first line {@code lines} gives. */
  CsvLineSplitter(Iterator<String> lines, int firstLine, char delimiter) {
    this.lines = lines;
    this.next = firstLine - 1;
    this.delimiter = delimiter;
  }

  Row next() {
    if (!lines.hasNext()) {
      return null;
    }
    int start = next + 1;
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean afterQuote = false;
    String text = lines.next();
    next++;
    if (text == null) {
      return new Row(start, List.of(), UNDECODABLE);
    }
    int i = 0;
    while (true) {
      if (i >= text.length()) {
        if (quoted) {
          if (!lines.hasNext()) {
            return new Row(start, List.of(), "unterminated quoted field");
          }
          cell.append('\n');
          text = lines.next();
          next++;
          if (text == null) {
            return new Row(start, List.of(), "a quoted field runs into line " + next + ", which cannot be decoded");
          }
          i = 0;
          continue;
        }
        cells.add(cell.toString());
        return new Row(start, cells, null);
      }
      char c = text.charAt(i++);
      if (quoted) {
        if (c == '"') {
          if (i < text.length() && text.charAt(i) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          cell.append(c);
        }
      } else if (c == delimiter) {
        cells.add(cell.toString());
        cell.setLength(0);
        afterQuote = false;
      } else if (c == '"' && cell.length() == 0 && !afterQuote) {
        quoted = true;
      } else if (afterQuote) {
        return new Row(start, List.of(), "unexpected character '" + c + "' after a closing quote");
      } else {
        cell.append(c);
      }
    }
  }
}
