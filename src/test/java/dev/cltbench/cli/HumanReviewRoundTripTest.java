package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The human review round trip on the fixture study: review-sample draws a stratified, seeded,
 * blinded sample; a "person" grades it (here: the recorded grades, with fluency changed on every
 * other response of C2, a planted disagreement of known size); grade --human adds it as the rater human,
 * and the agreement table gives each judge's agreement with it, checked against a count and a
 * quadratic-weighted kappa computed here from the same grades.
 */
class HumanReviewRoundTripTest {
  static final Map<String, String> DIRS = Map.of("C1", "C1_english", "C2", "C2_kazakh", "C3",
      "C3_kazakh_transfer", "C4", "C4_mongolian", "C5", "C5_mongolian_transfer");
  static final String PIPELINE = "--pipeline=" + StudyData.fixturePipeline();
  static final String STUDY = "--study=" + StudyData.fixture();
  static final String REPLAY = "--replay=" + StudyData.fixture();
  /** The sample's size: 30 of the fixture's 80 responses, 6 a condition, 3 a model x condition cell. */
  static final int N = 30;

  @TempDir static Path tmp;
  static Path sample;
  static List<Map<String, String>> key;
  static Map<String, Map<String, String>> recorded;

  @BeforeAll
  static void drawSample() throws Exception {
    sample = tmp.resolve("sample");
    CliRun r = CliRun.of("review-sample", PIPELINE, STUDY, "--n=" + N, "--stratify=condition,model",
        "--output=" + sample);
    assertEquals(0, r.exit(), r::toString);
    key = rows(sample.resolve("key.csv"));
    recorded = new HashMap<>();
    for (Map.Entry<String, String> d : DIRS.entrySet()) {
      for (Map<String, String> g : rows(StudyData.fixture().resolve("grades/" + d.getValue() + ".csv"))) {
        recorded.put(d.getKey() + "|" + g.get("model") + "|" + g.get("question_id"), g);
      }
    }
  }

  @Test
  void theSampleIsStratifiedSeededAndBlinded() throws Exception {
    assertEquals(N, key.size());
    Map<String, Integer> perCondition = new TreeMap<>();
    Map<String, Integer> perCell = new TreeMap<>();
    for (Map<String, String> k : key) {
      perCondition.merge(k.get("condition"), 1, Integer::sum);
      perCell.merge(k.get("condition") + " " + k.get("model"), 1, Integer::sum);
      assertTrue(recorded.containsKey(k.get("condition") + "|" + k.get("model") + "|" + k.get("question_id")), k.toString());
    }
    // N over 5 conditions: N / 5 each; those over the models: as even as can be, every cell present.
    int models = dev.cltbench.study.PipelineDefinition.read(StudyData.fixturePipeline()).models().size();
    int each = N / DIRS.size();
    assertEquals(Map.of("C1", each, "C2", each, "C3", each, "C4", each, "C5", each), perCondition);
    assertEquals(DIRS.size() * models, perCell.size());
    perCell.values().forEach(v -> assertTrue(v == each / models || v == (each + models - 1) / models, perCell.toString()));
    // No unit twice.
    assertEquals(N, key.stream().map(k -> k.get("condition") + k.get("model") + k.get("question_id")).distinct().count());

    List<Map<String, String>> shown = rows(sample.resolve("review.csv"));
    assertEquals(key.stream().map(k -> k.get("review_id")).toList(), shown.stream().map(s -> s.get("review_id")).toList());
    assertEquals(List.of("review_id", "language", "question", "question_english", "reference_answer", "answer",
        "accuracy", "fluency", "completeness", "notes"), header(sample.resolve("review.csv")));
    String html = Files.readString(sample.resolve("review.html"));
    String csv = Files.readString(sample.resolve("review.csv"));
    for (String secret : List.of("kestrel", "argali", "self-transfer", "Kazakh direct", "C3_kazakh", "owl_judge")) {
      assertFalse(html.contains(secret), "the form shows " + secret);
      assertFalse(csv.contains(secret), "the sample shows " + secret);
    }
    // The rubric, its levels and rules are on the form; one radio group per criterion and response.
    assertTrue(html.contains("partly correct") && html.contains("natural in the target language")
        && html.contains("Kyrgyz given for Kazakh is a wrong language."), "rubric");
    assertEquals(N * 3, html.split("<fieldset data-criterion=", -1).length - 1);
    assertFalse(html.contains("<script src") || html.contains("<link "), "self-contained");

    // Same seed: the same files; another seed: another sample.
    CliRun again = CliRun.of("review-sample", PIPELINE, STUDY, "--n=" + N, "--output=" + tmp.resolve("again"));
    assertEquals(0, again.exit(), again::toString);
    for (String f : List.of("review.csv", "review.html", "key.csv")) {
      assertEquals(Files.readString(sample.resolve(f)), Files.readString(tmp.resolve("again").resolve(f)), f);
    }
    CliRun other = CliRun.of("review-sample", PIPELINE, STUDY, "--n=" + N, "--seed=7",
        "--output=" + tmp.resolve("other"));
    assertEquals(0, other.exit(), other::toString);
    assertNotEquals(Files.readString(sample.resolve("key.csv")), Files.readString(tmp.resolve("other/key.csv")));
  }

  @Test
  void gradeHumanReportsEveryJudgesAgreementWithThePerson() throws Exception {
    Path filled = tmp.resolve("filled.csv");
    // The person: the recorded grades, fluency one step off on every other response of C2 (the graded
    // condition), from its first.
    List<int[]> fluencyC2 = new ArrayList<>(); // {recorded judge, person} for the graded condition
    try (Writer w = Files.newBufferedWriter(filled, StandardCharsets.UTF_8);
        CSVPrinter p = CSVFormat.DEFAULT.print(w)) {
      p.printRecord("review_id", "accuracy", "fluency", "completeness", "notes");
      int i = 0;
      for (Map<String, String> k : key) {
        Map<String, String> g = recorded.get(k.get("condition") + "|" + k.get("model") + "|" + k.get("question_id"));
        int judge = Integer.parseInt(g.get("fluency"));
        boolean planted = k.get("condition").equals("C2") && i++ % 2 == 0;
        int person = planted ? (judge == 2 ? 1 : judge + 1) : judge;
        p.printRecord(k.get("review_id"), g.get("accuracy"), person, g.get("completeness"), "a note, with a comma");
        if (k.get("condition").equals("C2")) {
          fluencyC2.add(new int[] {judge, person});
        }
      }
    }
    CliRun grade = CliRun.of("grade", PIPELINE, STUDY, REPLAY,
        "--latencyScale=0", "--cache=", "--progressSeconds=0", "--languageId=false", "--conditions=C2",
        "--human=" + filled, "--humanKey=" + sample.resolve("key.csv"), "--output=" + tmp.resolve("grade"));
    assertEquals(0, grade.exit(), grade::toString);
    int units = fluencyC2.size();
    assertEquals(N / DIRS.size(), units);
    assertTrue(grade.out().contains("agreement with the human rater (" + units + " responses graded"), grade::toString);

    long same = fluencyC2.stream().filter(x -> x[0] == x[1]).count();
    double kappa = quadraticKappa(fluencyC2, 0, 2);
    Map<String, Map<String, String>> rows = new HashMap<>();
    for (Map<String, String> r : rows(tmp.resolve("grade/tables/judge_agreement.csv"))) {
      rows.put(r.get("criterion") + " " + r.get("rater_a") + " " + r.get("rater_b"), r);
    }
    // Each pair is named in rater-name order: the fixture's judge sorts after "human".
    for (String judge : List.of("human owl_judge", "human recorded")) {
      Map<String, String> acc = rows.get("accuracy " + judge);
      assertNotNull(acc, judge + " in " + rows.keySet());
      assertEquals(String.valueOf(units), acc.get("units"), judge);
      assertEquals(100.0, Double.parseDouble(acc.get("exact_agreement_pct")), 1e-9);
      Map<String, String> flu = rows.get("fluency " + judge);
      assertEquals(String.valueOf(units), flu.get("units"), judge);
      assertEquals(100.0 * same / units, Double.parseDouble(flu.get("exact_agreement_pct")), 1e-9, judge);
      assertTrue(same < units, "a planted disagreement fell in C2");
      assertEquals(kappa, Double.parseDouble(flu.get("quadratic_kappa")), 1e-9, judge);
    }
    // The person's grades are kept as a rater of the study layout, notes included.
    String human = Files.readString(tmp.resolve("grade/judges/human/grades/C2_kazakh.csv"));
    assertTrue(human.contains("\"a note, with a comma\""), human);
    assertEquals(1 + units, human.strip().split("\n").length, human);
  }

  /**
   * The form in a real browser: a rater clicks grades for five responses, reloads, exports; the
   * exported CSV is what grade --human reads, each graded row resolving to its response.
   */
  @Test
  void theFormInABrowserExportsWhatGradeHumanReads() throws Exception {
    ExplorerBrowser.requireInstalled();
    Path csv = tmp.resolve("exported.csv");
    ExplorerBrowser.Outcome o = ExplorerBrowser.reviewForm(sample.resolve("review.html"), csv, 5);
    assertEquals(0, o.exit(), o.output());
    List<dev.cltbench.review.HumanGrades.Grade> grades = dev.cltbench.review.HumanGrades.read(csv,
        sample.resolve("key.csv"), dev.cltbench.study.PipelineDefinition.read(StudyData.fixturePipeline()));
    assertEquals(5, grades.size(), Files.readString(csv));
    List<String> criteria = List.of("accuracy", "fluency", "completeness");
    for (int i = 0; i < 5; i++) {
      var g = grades.get(i);
      assertEquals(key.get(i).get("review_id"), g.reviewId());
      assertEquals(key.get(i).get("model"), g.model());
      for (int c = 0; c < 3; c++) {
        assertEquals((i + c) % 3, g.scores().get(criteria.get(c)), g.toString());
      }
      assertEquals("note " + i + ", \"quoted\"", g.notes());
    }
  }

  @Test
  void aBadGradeStopsWithFileRowAndFieldAndWritesNothing() throws Exception {
    Path filled = tmp.resolve("bad.csv");
    Files.writeString(filled, "review_id,accuracy,fluency,completeness,notes\n"
        + key.get(0).get("review_id") + ",2,2,2,\n" + key.get(1).get("review_id") + ",1,3,1,\n");
    Path out = tmp.resolve("bad-grade");
    CliRun grade = CliRun.of("grade", PIPELINE, STUDY, REPLAY,
        "--latencyScale=0", "--cache=", "--conditions=C2", "--human=" + filled,
        "--humanKey=" + sample.resolve("key.csv"), "--output=" + out);
    assertEquals(2, grade.exit(), grade::toString);
    assertTrue(grade.err().contains(filled.toString()) && grade.err().contains("row 2")
        && grade.err().contains("field fluency") && grade.err().contains("outside the rubric's 0..2"), grade.err());
    assertEquals(1, grade.err().strip().split("\n").length, grade.err());
    assertFalse(Files.exists(out));
  }

  /** A mistyped --human, or no key.csv beside it: one line naming the file, nothing written (once "/key.csv: file not found"). */
  @Test
  void aMissingHumanFileOrKeyIsNamed() throws Exception {
    Path out = tmp.resolve("missing-human");
    CliRun noFile = CliRun.of("grade", PIPELINE, STUDY, REPLAY, "--latencyScale=0", "--cache=",
        "--human=" + tmp.resolve("typo.csv"), "--output=" + out);
    assertEquals(2, noFile.exit(), noFile::toString);
    assertEquals("error: --human=" + tmp.resolve("typo.csv") + ": no such file (the CSV the review form exported)",
        noFile.err().strip());
    Path alone = tmp.resolve("alone");
    Files.createDirectories(alone);
    Files.writeString(alone.resolve("grades.csv"), "review_id,accuracy,fluency,completeness,notes\n");
    CliRun noKey = CliRun.of("grade", PIPELINE, STUDY, REPLAY, "--latencyScale=0", "--cache=",
        "--human=" + alone.resolve("grades.csv"), "--output=" + out);
    assertEquals(2, noKey.exit(), noKey::toString);
    assertTrue(noKey.err().strip().startsWith("error: the review key " + alone.resolve("key.csv").toAbsolutePath()),
        noKey.err());
    assertEquals(1, noKey.err().strip().lines().count(), noKey.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void reviewSampleNeverReplacesWhatItDidNotWrite() throws Exception {
    Path mine = tmp.resolve("mine");
    Files.createDirectories(mine);
    Files.writeString(mine.resolve("notes.txt"), "my notes");
    CliRun r = CliRun.of("review-sample", PIPELINE, STUDY, "--n=10", "--output=" + mine);
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("is not a cltbench output"), r.err());
    assertEquals("my notes", Files.readString(mine.resolve("notes.txt")));
    assertEquals(1, Files.list(mine).count());
    // Bad options: one line, nothing written.
    CliRun bad = CliRun.of("review-sample", PIPELINE, STUDY, "--n=10", "--stratify=model,colour",
        "--output=" + tmp.resolve("never"));
    assertEquals(2, bad.exit(), bad::toString);
    assertTrue(bad.err().contains("--stratify: unknown key 'colour'"), bad.err());
    assertFalse(Files.exists(tmp.resolve("never")));
    // An earlier sample is ours to replace.
    CliRun replace = CliRun.of("review-sample", PIPELINE, STUDY, "--n=10", "--output=" + sample.resolveSibling("again2"));
    assertEquals(0, replace.exit(), replace::toString);
    CliRun twice = CliRun.of("review-sample", PIPELINE, STUDY, "--n=12", "--output=" + sample.resolveSibling("again2"));
    assertEquals(0, twice.exit(), twice::toString);
    assertEquals(12, rows(sample.resolveSibling("again2").resolve("key.csv")).size());
  }

  /** Cohen's kappa with quadratic weights, from its definition. */
  static double quadraticKappa(List<int[]> pairs, int min, int max) {
    int k = max - min + 1;
    double[][] observed = new double[k][k];
    double[] rows = new double[k];
    double[] cols = new double[k];
    for (int[] p : pairs) {
      observed[p[0] - min][p[1] - min]++;
      rows[p[0] - min]++;
      cols[p[1] - min]++;
    }
    double n = pairs.size();
    double obs = 0;
    double exp = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double w = Math.pow(i - j, 2) / Math.pow(k - 1, 2);
        obs += w * observed[i][j] / n;
        exp += w * rows[i] * cols[j] / (n * n);
      }
    }
    return 1 - obs / exp;
  }

  static List<String> header(Path csv) throws Exception {
    try (Reader in = Files.newBufferedReader(csv)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getHeaderNames();
    }
  }

  static List<Map<String, String>> rows(Path csv) throws Exception {
    List<Map<String, String>> out = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(csv)) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        out.add(r.toMap());
      }
    }
    return out;
  }
}
