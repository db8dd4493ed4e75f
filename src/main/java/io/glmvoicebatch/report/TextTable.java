package io.glmvoicebatch.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct prompt and system texts of a report, each stored once: rows refer to them by number (-1
 * for none). A batch usually sends one or a few prompts to thousands of items. A batch whose every item
 * has its own prompt would make the table as large as the batch, so past {@link #MAX_TEXTS} distinct texts
 * (or {@link #MAX_CHARS} characters) a row carries its text itself and the writer's memory stays bounded.
 */
final class TextTable {
  static final int MAX_TEXTS = 10_000;
  static final long MAX_CHARS = 4_000_000;

  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> texts = new ArrayList<>();
  private long chars;

  /** The text's number in the table, the text itself once the table is full, or -1 for none. */
  Object ref(String text) {
    if (text == null) {
      return -1;
    }
    Integer known = index.get(text);
    if (known != null) {
      return known;
    }
    if (texts.size() >= MAX_TEXTS || chars + text.length() > MAX_CHARS) {
      return text;
    }
    texts.add(text);
    chars += text.length();
    index.put(text, texts.size() - 1);
    return texts.size() - 1;
  }

  List<String> texts() {
    return texts;
  }
}
