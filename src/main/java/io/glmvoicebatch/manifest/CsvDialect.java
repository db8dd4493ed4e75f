package io.glmvoicebatch.manifest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a CSV manifest separates its fields, read from its header: comma, semicolon (Excel where the decimal
 * mark is a comma) or tab, whichever names the most known columns. A header that names none, or lacks the
 * required {@code id} and {@code audio}, makes the manifest unusable: a configuration error, not a batch of
 * failed items.
 *
 * @param delimiter the field separator
 * @param columns the header's column names, trimmed and lower-cased
 */
public record CsvDialect(char delimiter, List<String> columns) implements Serializable {
  static final char[] DELIMITERS = {',', ';', '\t'};

  public CsvDialect {
    columns = List.copyOf(columns);
  }

  /** The dialect of a CSV whose header row is {@code header}; {@code known} are the column names we read. */
  public static CsvDialect of(String header, Set<String> known, String source) throws UnusableManifestException {
    CsvDialect best = null;
    int bestKnown = -1;
    for (char d : DELIMITERS) {
      CsvLineSplitter.Row row = new CsvLineSplitter(List.of(header).iterator(), 1, d).next();
      if (row == null || row.problem() != null) {
        continue;
      }
      List<String> columns = new ArrayList<>();
      int named = 0;
      for (String cell : row.cells()) {
        String c = cell.strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT);
        columns.add(c);
        named += known.contains(c) ? 1 : 0;
      }
      if (named > bestKnown) {
        best = new CsvDialect(d, columns);
        bestKnown = named;
      }
    }
    String knownList = String.join(", ", known.stream().sorted().toList());
    if (best == null || bestKnown == 0) {
      throw new UnusableManifestException(source + ": no usable column in the CSV header '" + clip(header)
          + "' (columns: " + knownList + "; separated by comma, semicolon or tab)");
    }
    for (String required : List.of("id", "audio")) {
      if (!best.columns.contains(required)) {
        throw new UnusableManifestException(source + ": the CSV header has no '" + required + "' column (found: "
            + String.join(", ", best.columns) + ")");
      }
    }
    return best;
  }

  private static String clip(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }
}
