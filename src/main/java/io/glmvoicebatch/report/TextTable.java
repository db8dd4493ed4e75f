package io.glmvoicebatch.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct prompt and system texts of a report, each stored once: rows refer to them by number (-1
 * for none). A batch usually sends one or a few prompts to thousands of items.
 */
final class TextTable {
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> texts = new ArrayList<>();

  int index(String text) {
    if (text == null) {
      return -1;
    }
    return index.computeIfAbsent(text, t -> {
      texts.add(t);
      return texts.size() - 1;
    });
  }

  List<String> texts() {
    return texts;
  }
}
