package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordWrapTest {
  @Test
  void rowsBreakBetweenWordsAndCarryTheIndent() {
    assertEquals(List.of("  one two", "  three", "  four five"), WordWrap.rows("one two three four five", 11, "  "));
  }

  @Test
  void aWordLongerThanTheWidthStandsOnARowOfItsOwn() {
    assertEquals(List.of("see", "https://open.bigmodel.cn/api/paas/v4", "now"),
        WordWrap.rows("see https://open.bigmodel.cn/api/paas/v4 now", 10, ""));
  }
}
