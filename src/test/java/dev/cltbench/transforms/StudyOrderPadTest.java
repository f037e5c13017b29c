package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The sort keys' padding is the formatter's "%04d:", unknown names (-1) last as 9999. */
class StudyOrderPadTest {
  @Test
  void padsAsTheFormatterDoes() {
    for (int i = 0; i <= 120_000; i++) {
      assertEquals(String.format(Locale.ROOT, "%04d:", i), StudyOrder.pad(i));
    }
    assertEquals(String.format(Locale.ROOT, "%04d:", Integer.MAX_VALUE), StudyOrder.pad(Integer.MAX_VALUE));
    assertEquals("9999:", StudyOrder.pad(-1));
  }
}
