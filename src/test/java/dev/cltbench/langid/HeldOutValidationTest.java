package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.langid.HeldOutCorpus.Length;
import dev.cltbench.langid.HeldOutCorpus.Part;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The identifier on the held-out corpus's test part, which nothing was chosen on: the targets,
 * and never more than 0.01 below OpenNLP's published model alone at any length for any language.
 */
class HeldOutValidationTest {
  private static HeldOutCorpus corpus;
  private static HeldOutValidation.Result test;

  @BeforeAll
  static void run() {
    corpus = HeldOutCorpus.read(HeldOutCorpus.DEFAULT);
    test = HeldOutValidation.run(corpus, HeldOutValidation.systems(LanguageIdentifier.create()),
        List.of(Part.TEST));
  }

  private static final List<String> VARIETIES =
      List.of("eng", "kaz", "kir", "mon", "rus", "tat", "bak", "uzb-Latn", "uzb-Cyrl", "tur");

  @Test
  void everyCandidateIsInBothPartsAtEveryLength() {
    for (Part part : Part.values()) {
      for (Length length : Length.values()) {
        Map<String, Integer> n = new HashMap<>();
        corpus.texts(part, length).forEach(t -> n.merge(t.variety(), 1, Integer::sum));
        for (String v : VARIETIES) {
          int min = v.equals("uzb-Cyrl") ? 5 : 25;
          assertTrue(n.getOrDefault(v, 0) >= min, part + " " + length + " " + v + ": " + n.get(v));
        }
      }
    }
  }

  /** Translations of one passage share a unit id, and a unit is on one side only. */
  @Test
  void splitKeepsEveryUnitOnOneSide() {
    Map<String, Part> side = new HashMap<>();
    for (HeldOutCorpus.Text t : corpus.texts()) {
      String unit = t.id().replaceAll("#.*", "");
      Part was = side.putIfAbsent(unit, t.part());
      assertTrue(was == null || was == t.part(), unit);
    }
    long dev = side.values().stream().filter(p -> p == Part.DEV).count();
    assertTrue(dev > side.size() * 0.4 && dev < side.size() * 0.6, dev + " of " + side.size());
  }

  @Test
  void kazakhAndKyrgyzMeetTheTargets() {
    for (String v : List.of("kaz", "kir")) {
      double sentence = test.get(Part.TEST, Length.SENTENCE, "cltbench").accuracy(v);
      double snippet = test.get(Part.TEST, Length.SNIPPET, "cltbench").accuracy(v);
      assertTrue(sentence >= 0.98, v + " sentences " + sentence);
      assertTrue(snippet >= 0.95, v + " snippets " + snippet);
    }
  }

  @Test
  void everyOtherCandidateMeetsTheSentenceTarget() {
    HeldOutValidation.Counts c = test.get(Part.TEST, Length.SENTENCE, "cltbench");
    for (String v : VARIETIES) {
      assertTrue(c.accuracy(v) >= 0.97, v + " sentences " + c.accuracy(v));
    }
  }

  @Test
  void neverWorseThanOpenNlpAloneByMoreThanOnePoint() {
    for (Length length : Length.values()) {
      HeldOutValidation.Counts ours = test.get(Part.TEST, length, "cltbench");
      HeldOutValidation.Counts base = test.get(Part.TEST, length, "opennlp");
      for (String v : VARIETIES) {
        assertTrue(ours.accuracy(v) >= base.accuracy(v) - 0.01,
            length + " " + v + ": " + ours.accuracy(v) + " vs OpenNLP " + base.accuracy(v));
      }
    }
  }

  /** OpenNLP's published model alone is the floor, not the answer: it misses Tatar, which the
   * development-trained model tells from Bashkir and Kazakh. */
  @Test
  void openNlpAloneMissesTatar() {
    assertTrue(test.get(Part.TEST, Length.SENTENCE, "opennlp").accuracy("tat") < 0.9);
  }

  @Test
  void kyrgyzPrecisionIsHighToo() {
    for (Length length : Length.values()) {
      double p = test.get(Part.TEST, length, "cltbench").precision("kir");
      assertTrue(p >= 0.97, length + " Kyrgyz precision " + p);
    }
  }

  /** The letter rates of {@link LanguageCues#LETTER_RATES} are those counted on the development part's
   * sentences (to four places). */
  @Test
  void letterRatesAreTheDevelopmentPartsCounts() {
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Long> letters = new HashMap<>();
    String distinctive = LanguageCues.DISTINCTIVE_LETTERS;
    for (HeldOutCorpus.Text t : corpus.texts(Part.DEV, Length.SENTENCE)) {
      if (t.variety().equals("eng") || t.variety().equals("uzb-Latn")) {
        continue;
      }
      LanguageIdentifier.LetterCounts c = LanguageIdentifier.LetterCounts.of(t.text());
      long[] k = counts.computeIfAbsent(t.language(), x -> new long[distinctive.length()]);
      int[] d = c.distinctive();
      for (int i = 0; i < d.length; i++) {
        k[i] += d[i];
      }
      letters.merge(t.language(), (long) Math.max(c.latin, c.cyrillic), Long::sum);
    }
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      Map<Character, Double> table = LanguageCues.LETTER_RATES.get(e.getKey());
      for (int i = 0; i < distinctive.length(); i++) {
        double counted = (double) e.getValue()[i] / letters.get(e.getKey());
        double rate = table.getOrDefault(distinctive.charAt(i), 0.0);
        // Letters seen a few times only (a name, a typo) are left outside the alphabet.
        double tolerance = rate == 0 ? 0.0001 : 0.00006;
        assertEquals(rate, counted, tolerance, e.getKey() + " " + distinctive.charAt(i));
      }
    }
    assertEquals(Set.of("kaz", "kir", "mon", "rus", "tat", "bak", "uzb", "tur"), counts.keySet());
  }

  @Test
  void printsTablesAndConfusion() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    test.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String s : List.of("held-out test part, sentence", "held-out test part, snippet", "Kyrgyz  precision",
        "confusion", "uzb-Cyrl")) {
      assertTrue(out.contains(s), s);
    }
    System.out.println(out);
  }
}
