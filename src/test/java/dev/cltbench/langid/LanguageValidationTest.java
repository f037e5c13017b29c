package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The identifier against the published judge, on all 2,000 evaluated texts of the study. */
class LanguageValidationTest {
  private static LanguageValidation.Result result;

  @BeforeAll
  static void run() {
    result = LanguageValidation.run(StudyData.study(), StudyData.leftBehindPipeline(),
        LanguageIdentifier.create());
  }

  /**
   * Precision and recall >= 0.9 against the judge's Kyrgyz flags. The Kyrgyz-form threshold was chosen
   * on this data (see {@link KyrgyzForms}); chosen on one Kazakh condition and applied to the other it
   * gives 0.914 / 0.914 and 0.875 / 0.946, so new data should expect about 0.9, not more.
   */
  @Test
  void kazakhVersusKyrgyzAgreesWithTheJudge() {
    LanguageValidation.PairStat p = result.pair(LanguageIdentifier.Stage.WORDS, "kaz", "kir");
    assertTrue(p.recall() >= 0.9, "recall " + p.recall());
    assertTrue(p.precision() >= 0.9, "precision " + p.precision());
  }

  /** Each added part is needed: OpenNLP alone and OpenNLP + letters find few of the Kyrgyz answers. */
  @Test
  void ablationShowsTheWordFormsAreWhatFindsKyrgyz() {
    assertTrue(result.pair(LanguageIdentifier.Stage.OPENNLP, "kaz", "kir").recall() < 0.5);
    assertTrue(result.pair(LanguageIdentifier.Stage.MODELS, "kaz", "kir").recall() < 0.5);
  }

  /** The judge's flags counted independently of the note parser: fluency 0 and "kyrgyz" in the note,
   * in the Kazakh conditions (where Kyrgyz is never the topic of a question). */
  @Test
  void noteParserFindsEveryKyrgyzFlag() throws Exception {
    int flagged = 0;
    for (String cond : List.of("C2_kazakh", "C3_kazakh_transfer")) {
      try (Reader r = Files.newBufferedReader(StudyData.study().resolve("grades/" + cond + ".csv"),
          StandardCharsets.UTF_8)) {
        for (CSVRecord g : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
          if (g.get("fluency").equals("0") && g.get("notes").toLowerCase(Locale.ROOT).contains("kyrgyz")) {
            flagged++;
          }
        }
      }
    }
    assertTrue(flagged > 50, "the study has many Kyrgyz flags: " + flagged);
    assertEquals(flagged, result.pair(LanguageIdentifier.Stage.WORDS, "kaz", "kir").judge());
  }

  /** Strong models: mean judge fluency over the non-English conditions >= 1.5, which leaves out only
   * aya_expanse (its answers are mostly Kyrgyz or garbled). Their answers that the judge accepted as in
   * the target language are recognised as such at >= 99% per language. */
  @Test
  void strongModelsAnswersAreRecognised() {
    assertEquals(7, result.strongModels().size(), result.strongModels().toString());
    assertFalse(result.strongModels().contains("aya_expanse"));
    Map<String, LanguageValidation.Recognition> byLanguage =
        result.recognitionByLanguage(LanguageIdentifier.Stage.WORDS);
    assertEquals(List.of("eng", "kaz", "mon"), List.copyOf(byLanguage.keySet()));
    for (LanguageValidation.Recognition r : byLanguage.values()) {
      assertTrue(r.texts() >= 300, r.toString());
      assertTrue(r.rate() >= 0.99, r.toString());
    }
  }

  /** The cascade (the models only where letters and words are not decisive on a long text) is a
   * saving, not another identifier: on the study it gives the full identifier's verdict on all but a
   * few texts and sentences (on the held-out development part its decisive verdicts were right on 427
   * of 428 paragraphs), and it spares the models on most texts. */
  @Test
  void cascadeGivesTheFullIdentifiersVerdicts() {
    LanguageValidation.Cascade c = result.cascade();
    assertEquals(2000, c.texts());
    assertTrue(c.textsAgree() >= 0.995 * c.texts(), c.toString());
    assertTrue(c.sentences() > 10_000, c.toString());
    assertTrue(c.sentencesAgree() >= 0.995 * c.sentences(), c.toString());
    assertTrue(c.textsWithoutOpenNlp() > c.texts() / 2, c.toString());
  }

  @Test
  void printsPairsAblationAndMisses() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    result.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String s : List.of("stage OPENNLP", "stage MODELS", "stage WORDS", "kaz→kir", "recognised kaz",
        "Disagreements with the judge", "note: ", "Metrics per condition")) {
      assertTrue(out.contains(s), s);
    }
    System.out.println(out.substring(0, out.indexOf("Per model")));
  }
}
