package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.StudyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;
import org.junit.jupiter.api.Test;

/** The build's cut model gives the published model's probabilities, renormalised over the candidates. */
class CandidateModelTest {
  @Test
  void cutModelScoresExactlyTheCandidates() {
    LanguageDetectorModel cut = CandidateModel.load();
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < cut.getMaxentModel().getNumOutcomes(); i++) {
      outcomes.add(cut.getMaxentModel().getOutcome(i));
    }
    assertEquals(LanguageCues.CANDIDATES.stream().sorted().toList(), outcomes.stream().sorted().toList());
  }

  /** On what the identifier passes OpenNLP: samples of the study's texts, and their sentences. */
  @Test
  void cutModelAgreesWithThePublishedModelOnTheStudy() throws IOException {
    LanguageDetectorME full = new LanguageDetectorME(CandidateModel.loadFull());
    LanguageDetectorME cut = new LanguageDetectorME(CandidateModel.load());
    List<String> texts = studyTexts();
    assertEquals(2000, texts.size());
    double worst = 0;
    for (String text : texts) {
      List<String> passed = new ArrayList<>(Segments.sentences(text));
      passed.add(LanguageIdentifier.sample(text));
      for (String t : passed) {
        double[] expected = overCandidates(full.predictLanguages(t));
        double[] actual = overCandidates(cut.predictLanguages(t));
        for (int i = 0; i < expected.length; i++) {
          worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
      }
    }
    assertTrue(worst < 1e-12, "largest difference in probability " + worst);
  }

  @Test
  void aLanguageTheModelLacksIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CandidateModel.restrict(CandidateModel.loadFull(), List.of("kaz", "xyz")));
    assertTrue(e.getMessage().contains("[xyz]"), e.getMessage());
  }

  /** Probabilities of the candidates (in their order), renormalised to sum to 1. */
  private static double[] overCandidates(Language[] predicted) {
    double[] p = new double[LanguageCues.CANDIDATES.size()];
    for (Language l : predicted) {
      int i = LanguageCues.CANDIDATES.indexOf(l.getLang());
      if (i >= 0) {
        p[i] = l.getConfidence();
      }
    }
    double sum = Arrays.stream(p).sum();
    return Arrays.stream(p).map(x -> x / sum).toArray();
  }

  private static List<String> studyTexts() throws IOException {
    List<String> texts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.walk(StudyData.study().resolve("results"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (JsonNode r : json.readTree(f.toFile()).get("responses")) {
          texts.add(r.get("response").asText());
        }
      }
    }
    return texts;
  }
}
