package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The judge diagnostics sum each question's responses in the order of their keys: for one question,
 * the records sort as the "condition U+001F model U+001F question" strings they replace.
 */
class ResponseKeyTest {
  @Test
  void responsesToOneQuestionSortAsTheJoinedStrings() {
    List<String> ids = List.of("C1", "C1 b", "C1-b", "C1b", "C2", "aya", "aya_expanse", "aya expanse", "Ўз");
    for (int question : List.of(7, 12, 100)) {
      List<ResponseKey> keys = new ArrayList<>();
      for (String c : ids) {
        for (String m : ids) {
          keys.add(new ResponseKey(c, m, question, 0));
        }
      }
      List<ResponseKey> byRecord = new ArrayList<>(keys);
      byRecord.sort(null);
      List<ResponseKey> byString = new ArrayList<>(keys);
      byString.sort(Comparator.comparing(k -> k.condition() + "\u001f" + k.model() + "\u001f" + k.question()));
      assertEquals(byString, byRecord);
    }
  }
}
