package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.cli.GeneratedStudy.Answer;
import dev.cltbench.cli.GeneratedStudy.Condition;
import dev.cltbench.cli.GeneratedStudy.Model;
import dev.cltbench.cli.GeneratedStudy.Question;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports on studies no one recorded, built to break the output: names and texts holding
 * {@code < > & " '}, control characters and right-to-left text, empty and huge answers, and a study in
 * which every answer is one plain line graded the same (a constant score: every paired difference 0).
 * Each must report with exit 0, write well-formed figures, page and tables, and give tables equal to
 * SQL over its grades.
 */
class ReportWellFormedTest {
  @TempDir Path tmp;

  static final String RTL = "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627";
  static final List<String> ODD_WORDS = List.of("<b>bold</b>", "a&b", "\"quoted\"", "it's", "]]>",
      "<!--", "x\u0007y", "\u0001start", "\u202eevil", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
      "қазақ", "монгол", "word", "</script>", "{{mustache}}", "&amp;", "&#0;", "\ud83d\ude00");

  static CliRun report(GeneratedStudy study, Path dir, GeneratedStudy.Answers answers) throws Exception {
    Path pipeline = study.write(dir.resolve("study"), answers);
    return CliRun.of("report", "--pipeline=" + pipeline, "--study=" + dir.resolve("study"),
        "--output=" + dir.resolve("out"));
  }

  static void checkTables(GeneratedStudy study, Path dir) throws Exception {
    try (IndependentAggregates sql = new IndependentAggregates(dir.resolve("study/grades"),
        study.directories(), study.families(), study.controls())) {
      sql.checkAll(dir.resolve("out"));
    }
  }

  /** The words of one answer: odd ones among plain ones, none a marker of a transfer's step 3. */
  static List<String> words(SplittableRandom r, int n) {
    List<String> w = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      w.add(i == 0 ? "ok" : r.nextInt(3) == 0 ? ODD_WORDS.get(r.nextInt(ODD_WORDS.size())) : "w" + r.nextInt(50));
    }
    return w;
  }

  @Test
  void oddNamesAndTextsEmptyAndHugeAnswersGiveWellFormedOutputAndTheGradesAggregates() throws Exception {
    List<Model> models = List.of(new Model("m<1>&\"x'", "fam <a> & \"b\""), new Model("mod " + RTL, "fam <a> & \"b\""),
        new Model("plain_model", "other 'family'"));
    List<Condition> conditions = List.of(
        new Condition("D1", "Direct <en> & \"co\"", "d1_english", "english", null),
        new Condition("D2", "Kazakh 'direct' " + RTL, "d2_kazakh", "kazakh", null),
        new Condition("T2", "Transfer <kk> → \"en\" & back", "t2_kazakh", "kazakh", "D2"));
    List<Question> questions = new ArrayList<>();
    List<String> categories = List.of("cat <x> & \"y\"", "קטגוריה 'rtl'", "a,b");
    for (int i = 1; i <= 6; i++) {
      questions.add(new Question(i, categories.get(i % 3), "Q" + i + " <english> & \"what\"?",
          "Q" + i + " қазақ \u0007 " + RTL, "Q" + i + " монгол ]]> </title>"));
    }
    GeneratedStudy study = new GeneratedStudy(models, conditions, questions, 1, Set.of("unused <fam>"));
    SplittableRandom random = new SplittableRandom(7);
    CliRun run = report(study, tmp, (c, m, q, e) -> {
      // Question 1 is answered with nothing, question 2 with 20,000 words, the rest 1..30 words.
      int n = q.id() == 1 ? 0 : q.id() == 2 ? 20_000 : 1 + random.nextInt(30);
      return new Answer(words(random, n), q.id() % 2 == 0, Math.round(random.nextDouble() * 1e5) / 1e3,
          random.nextInt(3), random.nextInt(3), random.nextInt(3),
          "note, with \"quotes\"\nand a second line <i>&</i> \u0001 " + RTL);
    });
    assertEquals(0, run.exit(), run::toString);
    Path out = tmp.resolve("out");
    WellFormedOutput.check(out);
    checkTables(study, tmp);
    // The names read back from the CSV files are the names written, character for character.
    assertEquals(new TreeSet<>(study.families().keySet()), column(out, "models", "model"));
    assertEquals(new TreeSet<>(study.families().values()), column(out, "families", "family"));
    assertEquals(new TreeSet<>(categories), column(out, "categories", "category"));
  }

  /**
   * Every model answers every prompt with one plain line and every answer is graded 1/1/1, as a live run
   * against a server that answers one line (no step markers) gave: a constant score, every paired
   * difference zero. Once this crashed the report ("Character N is neither a decimal digit number ...":
   * the forest plot's axis had width zero, and its coordinates became NaN).
   */
  @Test
  void constantScoreFromOnePlainLineEverywhereReports() throws Exception {
    List<Model> models = List.of(new Model("a", "f1"), new Model("b", "f1"), new Model("c", "f2"));
    List<Condition> conditions = List.of(
        new Condition("C2", "Kazakh direct", "C2_kazakh", "kazakh", null),
        new Condition("C3", "Kazakh self-transfer", "C3_kazakh_transfer", "kazakh", "C2"),
        new Condition("C4", "Mongolian direct", "C4_mongolian", "mongolian", null),
        new Condition("C5", "Mongolian self-transfer", "C5_mongolian_transfer", "mongolian", "C4"));
    List<Question> questions = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      questions.add(new Question(i, i % 2 == 0 ? "even" : "odd", "Question " + i, "Сұрақ " + i, "Асуулт " + i));
    }
    GeneratedStudy study = new GeneratedStudy(models, conditions, questions, 1, Set.of());
    CliRun run = report(study, tmp, (c, m, q, e) ->
        new Answer(List.of("The", "answer", "is", "forty-two."), false, 1.5, 1, 1, 1, "fine"));
    assertEquals(0, run.exit(), run::toString);
    Path out = tmp.resolve("out");
    WellFormedOutput.check(out);
    checkTables(study, tmp);
    // Every comparison: no difference, an interval [0, 0], and a test that cannot reject.
    List<Map<String, String>> significance = IndependentAggregates.csv(out.resolve("tables/significance.csv"));
    assertEquals(2 * (1 + 2 + 3), significance.size(), significance.toString());
    for (Map<String, String> row : significance) {
      assertEquals(0, Double.parseDouble(row.get("diff_pp")), row.toString());
      assertEquals(0, Double.parseDouble(row.get("ci_low_pp")), row.toString());
      assertEquals(0, Double.parseDouble(row.get("ci_high_pp")), row.toString());
      assertEquals(1, Double.parseDouble(row.get("p_value")), row.toString());
    }
    String forest = Files.readString(out.resolve("figures/forest-comparisons.svg"));
    assertTrue(forest.contains("forest-point"), "the forest plot draws its points");
    // No spread between pairs: the design effect divides by zero, so it is empty, and the page and the
    // Markdown table say why under the table.
    List<Map<String, String>> power = IndependentAggregates.csv(out.resolve("tables/power.csv"));
    power.forEach(row -> assertEquals("", row.get("design_effect"), row.toString()));
    String note = "Empty in " + power.size() + " of " + power.size() + " rows (design_effect): the pairs";
    assertTrue(Files.readString(out.resolve("tables/power.md")).contains(note),
        Files.readString(out.resolve("tables/power.md")));
    assertTrue(Files.readString(out.resolve("report.html")).contains(note.replace("'", "&#39;")), note);
  }

  /**
   * One question: nothing varies between questions, so the spread between questions, the detectable
   * effect and the questions needed cannot be computed. They are empty cells with a note (once the
   * questions needed printed as -1), and every other statistic is still there.
   */
  @Test
  void oneQuestionLeavesWhatNeedsTwoEmptyWithANote() throws Exception {
    List<Model> models = List.of(new Model("a", "f1"), new Model("b", "f1"), new Model("c", "f2"));
    List<Condition> conditions = List.of(
        new Condition("C2", "Kazakh direct", "C2_kazakh", "kazakh", null),
        new Condition("C3", "Kazakh self-transfer", "C3_kazakh_transfer", "kazakh", "C2"));
    GeneratedStudy study = new GeneratedStudy(models, conditions,
        List.of(new Question(1, "only", "Question 1", "Сұрақ 1", "Асуулт 1")), 1, Set.of());
    CliRun run = report(study, tmp, (c, m, q, e) -> new Answer(List.of("an", "answer"), false, 1.5,
        c.transfer() ? 2 : m.name().equals("a") ? 0 : 1, 1, m.name().equals("c") ? 2 : 1, "n"));
    assertEquals(0, run.exit(), run::toString);
    Path out = tmp.resolve("out");
    WellFormedOutput.check(out);
    checkTables(study, tmp);
    List<Map<String, String>> power = IndependentAggregates.csv(out.resolve("tables/power.csv"));
    assertEquals(1 + 2 + 3, power.size(), power.toString());
    for (Map<String, String> row : power) {
      assertEquals("1", row.get("questions"), row.toString());
      for (String empty : List.of("sd_question_pp", "mde_pp", "questions_for_2pp", "questions_for_5pp",
          "mde_strictest_pp")) {
        assertEquals("", row.get(empty), empty + " in " + row);
      }
    }
    // The pooled scopes pair three models' answers to the one question: their spread exists.
    Map<String, String> overall = power.stream().filter(r -> r.get("scope").equals("overall")).findFirst().orElseThrow();
    assertEquals("3", overall.get("pairs"), overall.toString());
    assertTrue(Double.parseDouble(overall.get("sd_pair_pp")) > 0, overall.toString());
    String note = "Empty in 6 of 6 rows (sd_question_pp, mde_pp, questions_for_2pp, questions_for_5pp,"
        + " mde_strictest_pp): fewer than two questions have pairs";
    // Markdown keeps an underscore between two letters or digits as it is, so the note reads the same.
    assertTrue(Files.readString(out.resolve("tables/power.md")).contains(note),
        Files.readString(out.resolve("tables/power.md")));
    assertTrue(Files.readString(out.resolve("report.html")).contains(note), "the page's note under the power table");
  }

  /**
   * Transfer beats direct on every one of 16 questions: the exact sign-flip test gives p = 2^-15 per
   * pooled scope, so adjusted p-values fall below 0.001 and print as "<0.001", which once went unescaped
   * into the forest plot's SVG tooltips (every study past the published one failed so).
   */
  @Test
  void adjustedPBelowAThousandthStaysEscapedInTheFigures() throws Exception {
    List<Model> models = List.of(new Model("a", "f1"), new Model("b", "f2"));
    List<Condition> conditions = List.of(
        new Condition("C2", "Kazakh direct", "C2_kazakh", "kazakh", null),
        new Condition("C3", "Kazakh self-transfer", "C3_kazakh_transfer", "kazakh", "C2"));
    List<Question> questions = new ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      questions.add(new Question(i, "c" + (i % 2), "Question " + i, "Сұрақ " + i, "Асуулт " + i));
    }
    GeneratedStudy study = new GeneratedStudy(models, conditions, questions, 1, Set.of());
    CliRun run = report(study, tmp, (c, m, q, e) -> c.transfer()
        ? new Answer(List.of("ok", "good", "answer"), false, 2, 2, 2, 2, "good")
        : new Answer(List.of("ok", "bad"), false, 1, 0, 0, q.id() % 2, "bad"));
    assertEquals(0, run.exit(), run::toString);
    Path out = tmp.resolve("out");
    WellFormedOutput.check(out);
    checkTables(study, tmp);
    List<Map<String, String>> significance = IndependentAggregates.csv(out.resolve("tables/significance.csv"));
    Map<String, String> overall = significance.stream().filter(r -> r.get("scope").equals("overall"))
        .findFirst().orElseThrow();
    assertEquals(Math.pow(2, -15), Double.parseDouble(overall.get("p_value")), 1e-12, overall.toString());
    assertTrue(Double.parseDouble(overall.get("p_adjusted")) < 0.001, overall.toString());
    assertTrue(Files.readString(out.resolve("figures/forest-comparisons.svg")).contains("adjusted p &lt;0.001"));
  }

  static Set<String> column(Path out, String table, String column) throws Exception {
    return IndependentAggregates.csv(out.resolve("tables/" + table + ".csv")).stream()
        .map(r -> r.get(column)).collect(Collectors.toCollection(TreeSet::new));
  }
}
