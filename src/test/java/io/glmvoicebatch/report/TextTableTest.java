package io.glmvoicebatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The report's text table stays bounded when every item has its own prompt. */
class TextTableTest {
  @Test
  void repeatedTextsAreNumbersAndTextsPastTheLimitAreCarriedByTheirRows() {
    TextTable t = new TextTable();
    assertEquals(-1, t.ref(null));
    assertEquals(0, t.ref("Answer briefly."));
    assertEquals(0, t.ref("Answer briefly."), "a repeated text is stored once");
    for (int i = 1; i < TextTable.MAX_TEXTS; i++) {
      assertEquals(i, t.ref("prompt " + i));
    }
    assertEquals("one too many", t.ref("one too many"), "the table is full: the row carries the text");
    assertEquals(0, t.ref("Answer briefly."), "texts already in the table keep their number");
    assertEquals(TextTable.MAX_TEXTS, t.texts().size());
  }
}
