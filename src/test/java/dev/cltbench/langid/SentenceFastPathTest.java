package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The letters-only shortcut of the per-sentence languages never decides a sentence it should not. */
class SentenceFastPathTest {
  @Test
  void decidesOnlySentencesWhoseLettersLeaveNoDoubt() {
    assertTrue(TextMetrics.plainlyIn("Қазақстанның астанасы Астана қаласы болып табылады.", "kaz"));
    // Kyrgyz (no ә ғ қ ұ і), Russian and Tatar (җ) sentences in a Kazakh text go to the identifier.
    assertFalse(TextMetrics.plainlyIn("Кыргызстандын борбору Бишкек шаары болуп эсептелет.", "kaz"));
    assertFalse(TextMetrics.plainlyIn("Столица Казахстана находится в городе Астана.", "kaz"));
    assertFalse(TextMetrics.plainlyIn("Җәйге көннәрдә без авылга кайтабыз.", "kaz"));
    assertTrue(TextMetrics.plainlyIn("Монгол улсын нийслэл бол Улаанбаатар хот юм.", "mon"));
    assertFalse(TextMetrics.plainlyIn("Кыргызстандын борбору Бишкек шаары болуп эсептелет, эң чоң шаар.", "mon"));
    assertTrue(TextMetrics.plainlyIn("The capital of Kazakhstan is Astana.", "eng"));
    assertFalse(TextMetrics.plainlyIn("Türkiye'nin başkenti Ankara şehridir.", "eng"));
    assertFalse(TextMetrics.plainlyIn("The capital is Астана.", "eng"));
    assertFalse(TextMetrics.plainlyIn("Кыргызстандын борбору Бишкек.", "kir"), "no shortcut for other languages");
  }

  @Test
  void shortcutAndIdentifierAgreeOnTheSentencesItDecides() {
    LanguageIdentifier id = LanguageIdentifier.shared();
    for (String[] c : List.of(
        new String[] {"kaz", "Қазақстанның астанасы Астана қаласы болып табылады."},
        new String[] {"mon", "Монгол улсын нийслэл бол Улаанбаатар хот юм."},
        new String[] {"eng", "The capital of Kazakhstan is Astana, a young city on the steppe."})) {
      assertTrue(TextMetrics.plainlyIn(c[1], c[0]));
      assertEquals(c[0], id.identify(c[1]).language(), c[1]);
    }
  }

  @Test
  void aSentenceSwitchesLanguageOnlyOnItsOwnEvidence() {
    LanguageIdentifier id = LanguageIdentifier.shared();
    // Another script: the sentence's own verdict.
    assertEquals("eng", id.identifySentence(
        "His contributions played a crucial role in shaping Kazakh cultural identity.", "mon"));
    // Letters and words leaning to another language of the same script: the full identifier.
    assertEquals("rus", id.identifySentence(
        "Москва является столицей России и крупнейшим городом страны по численности населения.", "kaz"));
    // Names and table cells carry no evidence of a switch (OpenNLP alone read both as Russian).
    assertEquals("mon", id.identifySentence("- Исабек Кемерталиев (гитар), Бекзат Абдрахманов", "mon"));
    assertEquals("mon", id.identifySentence("| Шинж чанар | Диффузи | Осмос |", "mon"));
  }
}
