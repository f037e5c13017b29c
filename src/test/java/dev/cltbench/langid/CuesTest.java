package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.TransferMarkers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written parts: Kyrgyz word forms, the judge-note reader and the judged part of a transfer
 * answer. */
class CuesTest {
  private static final TransferMarkers MARKERS = new TransferMarkers(3,
      List.of("қадам", "алхам", "step", "адым"),
      List.of("қазақ тіліне аудар", "аудармасы", "қазақша жауап", "монгол хэл рүү орчуул", "орчуулга",
          "монголоор хариул", "translation", "final answer", "translated answer"));

  @Test
  void kyrgyzFormsAreThoseKazakhSpellingNeverHas() {
    assertTrue(KyrgyzForms.weight("жана") > 0, "Kyrgyz 'and'");
    assertTrue(KyrgyzForms.weight("болгон") > 0, "-гон participle");
    assertTrue(KyrgyzForms.weight("элинин") > 0, "-нин genitive");
    assertTrue(KyrgyzForms.weight("өзгөчө") > 0, "ө after the first syllable");
    for (String kazakh : List.of("және", "болған", "елінің", "ерекше", "өзгеше", "үшін", "мен")) {
      assertEquals(0, KyrgyzForms.weight(kazakh), kazakh);
    }
  }

  @Test
  void namesAreNotCounted() {
    assertEquals(0, KyrgyzForms.of("Бөхийн Өргөө Улаанбаатар").words());
  }

  @Test
  void judgeFlagNeedsFluencyZeroAndTheLanguageOfTheText() {
    assertEquals("kir", JudgeLanguageFlag.found(0, "Response is in Kyrgyz, not Kazakh (uses 'жана').", "kaz"));
    assertEquals("kir", JudgeLanguageFlag.found(0, "Text is garbled, mixing Kazakh and Kyrgyz scripts.", "kaz"));
    assertEquals("kir", JudgeLanguageFlag.found(0, "Wrong language (Kyrgyz, not Kazakh or Mongolian).", "mon"));
    assertEquals("eng", JudgeLanguageFlag.found(0, "Wrong language (English instead of Mongolian).", "mon"));
    assertNull(JudgeLanguageFlag.found(1, "Response is in Kyrgyz, not Kazakh.", "kaz"), "fluency 1");
    assertNull(JudgeLanguageFlag.found(0, "Completely garbled, repetitive text.", "kaz"), "no language named");
    // The expected language named as the text's language is no flag; the question's language is none.
    assertNull(JudgeLanguageFlag.found(0,
        "Question is in Mongolian (Q49 is Mongolian-Aligned Cultural), but model responded in Kazakh.", "kaz"));
    assertNull(JudgeLanguageFlag.found(0, "Describes the Mongolian dish instead of the Kazakh one.", "kaz"));
    assertNull(JudgeLanguageFlag.found(0, "Wrong: English says 'born' not 'arrested'.", "mon"));
  }

  @Test
  void judgedPartFollowsTheLastFinalStepMarker() {
    String r = "**Step 1: Translate**\nWhat is it?\n**Step 2: Answer in English**\nIt is a lake.\n"
        + "**Step 3: Translate the answer back into Kazakh**\nБұл көл.";
    assertEquals("Бұл көл.", JudgedPart.of(r, MARKERS));
    String inline = "1. Сұрақ: What is it?\n2. Жауап: It is a lake.\n3. Жауапты қазақ тіліне аудару: "
        + "Бұл көл, ол Қазақстанның оңтүстігінде орналасқан және өте тұзды болып келеді, сондықтан адам батпайды.";
    assertTrue(JudgedPart.of(inline, MARKERS).startsWith("Бұл көл, ол"), JudgedPart.of(inline, MARKERS));
  }

  @Test
  void judgedPartKeepsTheWholeTextWhenTheAnswerIsCutOffAfterItsTitle() {
    String r = "**Алхам 2: Англи хэлээр хариулт**\nThe market rose by 12%.\n\n**Алхам 3: Хариултыг монгол хэл рүү орчуулах**\n\n**";
    assertEquals(r, JudgedPart.of(r, MARKERS));
    assertEquals("plain", JudgedPart.of("plain", null));
  }

  @Test
  void segmentsSplitLinesAndSentences() {
    assertEquals(List.of("One.", "Two!", "Three", "four?"), Segments.sentences("One. Two!\nThree\n\n four?"));
    assertEquals(List.of("жана", "tcp", "udp"), Segments.words("Жана TCP/UDP 42"));
    assertFalse(Segments.sentences("").iterator().hasNext());
  }
}
