package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.LanguageFacts;
import dev.cltbench.study.TransferMarkers;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metric definitions on hand-made texts. */
class TextMetricsTest {
  private static final TransferMarkers MARKERS = new TransferMarkers(3,
      List.of("қадам", "алхам", "step", "адым"), List.of("translation", "final answer"));
  private static final String KAZ = "Бүгін ауа райы жақсы, сондықтан біз балалармен бірге саябаққа барамыз.";
  private static final String ENG = "The weather is nice today, and we are going to the park with our children.";
  private static LanguageIdentifier id;

  @BeforeAll
  static void load() {
    id = LanguageIdentifier.create();
  }

  @Test
  void cyrillicShareCountsLettersOnly() {
    assertEquals(0.5, TextMetrics.cyrillicShare("абв abc 123 !!"), 1e-9);
    assertEquals(0, TextMetrics.cyrillicShare("42"), 1e-9);
    assertEquals(1, TextMetrics.cyrillicShare("Бүгін ауа райы жақсы."), 1e-9);
  }

  @Test
  void codeSwitchingIsTheShareOfAdjacentSentencePairsThatChangeLanguage() {
    TextMetrics alternating = TextMetrics.of(ENG + "\n" + KAZ + "\n" + ENG, "kaz", null, null, id);
    assertEquals(1.0, alternating.codeSwitchShare(), 1e-9);
    TextMetrics once = TextMetrics.of(KAZ + "\n" + KAZ + "\n" + ENG, "kaz", null, null, id);
    assertEquals(0.5, once.codeSwitchShare(), 1e-9);
    // Short lines (headings, numbers) do not count as sentences.
    TextMetrics headed = TextMetrics.of("Answer:\n" + KAZ, "kaz", null, null, id);
    assertEquals(0, headed.codeSwitchShare(), 1e-9);
  }

  @Test
  void englishLeakWordsAreLowerCaseLatinWordsOutsideCodeAndUrls() {
    String text = "Фотосинтез (photosynthesis) — NYSE және TCP туралы ой, `inline code` "
        + "https://example.org/some/path және ```\nint main() { return 0; }\n``` ok sunlight";
    assertEquals(2, TextMetrics.of(text, "kaz", null, null, id).englishLeakWords());
    assertEquals(0, TextMetrics.of(ENG, "eng", null, null, id).englishLeakWords());
  }

  @Test
  void allStepsShownNeedsEveryStepInOrderAndEnglish() {
    String full = "## 1-қадам: аудару\n\"Is the weather nice today, and will we go to the park?\"\n"
        + "## 2-қадам: жауап\n" + ENG + "\n## 3-қадам: қазақша\n" + KAZ;
    TextMetrics m = TextMetrics.of(KAZ, "kaz", full, MARKERS, id);
    assertTrue(m.allStepsShown());
    assertEquals("kaz", m.language().language());

    String noStep2 = "## 1-қадам: аудару\n" + ENG + "\n## 3-қадам: қазақша\n" + KAZ;
    assertFalse(TextMetrics.of(KAZ, "kaz", noStep2, MARKERS, id).allStepsShown());

    String noEnglish = "1. " + KAZ + "\n2. " + KAZ + "\n3. " + KAZ;
    assertFalse(TextMetrics.of(KAZ, "kaz", noEnglish, MARKERS, id).allStepsShown());

    assertNull(TextMetrics.of(KAZ, "kaz", KAZ, null, id).allStepsShown(), "direct condition");
  }

  @Test
  void factsCarryTheMetrics() {
    LanguageFacts f = TextMetrics.facts(ENG, "kaz", null, null, id);
    assertEquals("kaz", f.expected());
    assertEquals("eng", f.detected());
    assertTrue(f.wrongLanguage());
    assertEquals(0, f.cyrillicShare(), 1e-9);
    // weather nice today and are going the park with our children ("The", "we", "to" do not count)
    assertEquals(11, f.englishLeakWords());
    assertNull(f.allStepsShown());
  }
}
