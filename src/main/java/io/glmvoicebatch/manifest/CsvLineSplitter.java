package io.glmvoicebatch.manifest;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 rows over a list of physical lines: quoted fields may hold commas, quotes ("") and newlines. */
final class CsvLineSplitter {
  /** One logical row; {@code line} is where it starts. */
  record Row(int line, List<String> cells, String problem) {}

  private final List<String> lines;
  private int next;

  CsvLineSplitter(List<String> lines) {
    this.lines = lines;
  }

  Row next() {
    if (next >= lines.size()) {
      return null;
    }
    int start = next + 1;
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean afterQuote = false;
    String text = lines.get(next++);
    int i = 0;
    while (true) {
      if (i >= text.length()) {
        if (quoted) {
          if (next >= lines.size()) {
            return new Row(start, List.of(), "unterminated quoted field");
          }
          cell.append('\n');
          text = lines.get(next++);
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
      } else if (c == ',') {
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
