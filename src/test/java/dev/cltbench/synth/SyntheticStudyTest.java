package dev.cltbench.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.StudyData;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyLayout;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A synthetic study from the published one: its layout, schemas, sampling and determinism. */
class SyntheticStudyTest {
  static final int SCALE = 20;
  static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir static Path tmp;
  static Path synth;
  static PipelineDefinition definition;

  @BeforeAll
  static void generate() throws Exception {
    synth = tmp.resolve("x" + SCALE);
    Files.createDirectories(synth);
    assertEquals(SCALE * 2000L, SyntheticStudy.load(StudyData.study()).write(synth, SCALE, 7));
    definition = PipelineDefinition.read(Path.of("pipelines/left-behind.json"));
  }

  @Test
  void hasThePublishedLayoutAndQuestionsScaled() {
    StudyLayout.verify(synth.toString(), definition);
    Questions q = Questions.read(StudyLayout.questionsFile(synth.toString()), definition.languages());
    assertEquals(SCALE * 50, q.size());
    Questions.Question first = q.get(1);
    Questions.Question copy = q.get(19 * 50 + 1);
    assertEquals(first.category(), copy.category());
    assertEquals(first.texts().get("kazakh") + " [20]", copy.texts().get("kazakh"));
  }

  /** Every synthetic (response, grade) is a real pair of the same condition and model; counts add up. */
  @Test
  void responsesAndGradesAreRealPairsOfTheSameConditionAndModel() throws Exception {
    Path study = StudyData.study();
    for (PipelineDefinition.Condition c : definition.conditions()) {
      Map<String, Set<String>> realPairs = new HashMap<>();
      Map<String, double[]> realMean = new HashMap<>();
      for (PipelineDefinition.ModelSpec m : definition.models()) {
        Map<Integer, String> texts = responses(study, c.directory(), m.name(), null);
        Set<String> pairs = new HashSet<>();
        double sum = 0;
        for (CSVRecord g : grades(study, c.directory(), m.name())) {
          pairs.add(texts.get(Integer.parseInt(g.get("question_id"))) + "\u0000" + scores(g));
          sum += Integer.parseInt(g.get("total"));
        }
        realPairs.put(m.name(), pairs);
        realMean.put(m.name(), new double[] {sum / 50});
      }
      for (PipelineDefinition.ModelSpec m : definition.models()) {
        Map<Integer, String> texts = responses(synth, c.directory(), m.name(), SCALE * 50);
        List<CSVRecord> gs = grades(synth, c.directory(), m.name());
        assertEquals(SCALE * 50, gs.size());
        double sum = 0;
        for (CSVRecord g : gs) {
          String text = texts.get(Integer.parseInt(g.get("question_id")));
          assertTrue(realPairs.get(m.name()).contains(text + "\u0000" + scores(g)),
              c.id() + " " + m.name() + " q" + g.get("question_id") + ": not a real pair");
          if (!c.extractsFinalAnswer()) {
            assertEquals(FinalAnswerExtractor.countWords(text), Integer.parseInt(g.get("response_length")));
          }
          sum += Integer.parseInt(g.get("total"));
        }
        // 1,000 uniform draws from 50 real grades: the mean total (0..6) stays within ~5 standard errors.
        assertEquals(realMean.get(m.name())[0], sum / gs.size(), 0.35, c.id() + " " + m.name());
      }
    }
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherDraws() throws Exception {
    Path again = Files.createDirectories(tmp.resolve("again"));
    Path again2 = Files.createDirectories(tmp.resolve("again2"));
    Path other = Files.createDirectories(tmp.resolve("other"));
    SyntheticStudy.load(StudyData.study()).write(again, 2, 7);
    SyntheticStudy.load(StudyData.study()).write(again2, 2, 7);
    SyntheticStudy.load(StudyData.study()).write(other, 2, 8);
    List<Path> files;
    try (var walk = Files.walk(again)) {
      files = walk.filter(Files::isRegularFile).map(again::relativize).sorted().toList();
    }
    assertEquals(5 * 8 + 5 + 3, files.size(), files.toString());
    for (Path f : files) {
      assertArrayEquals(Files.readAllBytes(again.resolve(f)), Files.readAllBytes(again2.resolve(f)), f.toString());
    }
    Path grades = Path.of("grades/C3_kazakh_transfer.csv");
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(again.resolve(grades)),
        Files.readAllBytes(other.resolve(grades))));
    // Draws run in question order, so a larger scale extends a smaller one with the same seed.
    assertArrayEquals(firstLines(again.resolve(grades), 801), firstLines(synth.resolve(grades), 801));
  }

  /** The first lines of a file as bytes: the draws of the first replicas do not depend on the scale. */
  private static byte[] firstLines(Path p, int n) throws Exception {
    return String.join("\n", Files.readAllLines(p).subList(0, n)).getBytes(StandardCharsets.UTF_8);
  }

  private static String scores(CSVRecord g) {
    return g.get("accuracy") + "/" + g.get("fluency") + "/" + g.get("completeness") + "/"
        + g.get("response_length") + "/" + g.get("notes");
  }

  private static Map<Integer, String> responses(Path study, String dir, String model, Integer expected)
      throws Exception {
    JsonNode root = MAPPER.readTree(study.resolve("results").resolve(dir).resolve(model + ".json").toFile());
    Map<Integer, String> out = new HashMap<>();
    root.get("responses").forEach(r -> out.put(r.get("question_id").asInt(), r.get("response").asText()));
    if (expected != null) {
      assertEquals(expected, out.size());
      assertEquals(expected, root.get("responses").size());
    }
    return out;
  }

  private static List<CSVRecord> grades(Path study, String dir, String model) throws Exception {
    try (Reader r = Files.newBufferedReader(study.resolve("grades").resolve(dir + ".csv"))) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)
          .getRecords().stream().filter(g -> g.get("model").equals(model)).toList();
    }
  }
}
