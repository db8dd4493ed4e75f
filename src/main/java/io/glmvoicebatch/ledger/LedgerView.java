package io.glmvoicebatch.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ledger read back: every line in order, and each id's current state (its last line). */
public final class LedgerView {
  private final List<LedgerRecord> lines;
  private final Map<String, LedgerRecord> latest;
  private final List<String> unreadable;

  private LedgerView(List<LedgerRecord> lines, List<String> unreadable) {
    this.lines = Collections.unmodifiableList(lines);
    this.unreadable = Collections.unmodifiableList(unreadable);
    Map<String, LedgerRecord> last = new LinkedHashMap<>();
    for (LedgerRecord r : lines) {
      last.put(key(r.id(), r.segment()), r);
    }
    this.latest = Collections.unmodifiableMap(last);
  }

  /** Reads {@code file}; a missing file is an empty ledger. Unparseable lines are reported, not fatal. */
  public static LedgerView read(Path file) throws IOException {
    return of(Files.exists(file) ? LedgerLines.read(file) : List.of());
  }

  /** The ledger made of {@code text}'s lines, in order. */
  public static LedgerView of(List<String> text) {
    List<LedgerRecord> records = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      String line = text.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (LedgerLines.notUtf8(line)) {
        bad.add(LedgerLines.problem(i + 1));
        continue;
      }
      try {
        records.add(LedgerJson.parse(line));
      } catch (JsonProcessingException e) {
        bad.add("line " + (i + 1) + ": " + e.getOriginalMessage());
      }
    }
    return new LedgerView(records, bad);
  }

  public static String key(String id, Integer segment) {
    return segment == null ? id : id + "#" + segment;
  }

  public List<LedgerRecord> lines() {
    return lines;
  }

  /** Current state per item (and per segment), in order of first appearance. */
  public Map<String, LedgerRecord> latest() {
    return latest;
  }

  public List<String> unreadableLines() {
    return unreadable;
  }
}
