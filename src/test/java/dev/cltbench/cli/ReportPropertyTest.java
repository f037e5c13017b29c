package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cltbench.cli.GeneratedStudy.Answer;
import dev.cltbench.cli.GeneratedStudy.Condition;
import dev.cltbench.cli.GeneratedStudy.Model;
import dev.cltbench.cli.GeneratedStudy.Question;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A property over studies of random shape: 1..3 models in 1..2 families (and a family no model is in),
 * 1..5 questions in 1..3 categories, 1..3 languages asked directly, each perhaps with its transfer
 * condition, 1 or 2 epochs, grades random, constant, all zero, all full or fixed per model, answers
 * empty, one word, a few words with odd characters on up to five lines, or 5,000 words, times random or
 * all zero. For every such study the report completes with exit 0, its outputs are well-formed, and its
 * conditions, models, families and categories tables equal SQL over the study's grades.
 *
 * <p>Each try is one seed; its shape follows from the seed alone, so a failure is reproduced by giving
 * the seed in its name back as {@code -Dcltbench.reportSeeds=SEED} (several, comma-separated). Without
 * it: two fixed seeds and one new each run (a few tries: each is a whole report, some seconds).
 */
class ReportPropertyTest {
  @TempDir Path tmp;

  enum Grades { RANDOM, CONSTANT, ZERO, FULL, PER_MODEL }

  static Stream<Long> seeds() {
    String given = System.getProperty("cltbench.reportSeeds");
    if (given != null && !given.isBlank()) {
      return Stream.of(given.split(",")).map(String::strip).map(Long::parseLong);
    }
    return LongStream.of(1, 2, System.nanoTime()).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anyShapeReportsWellFormedWithTablesEqualToSqlOverTheGrades(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> familyNames = List.of("fam <1> & \"one\"", "fam 'two' " + ReportWellFormedTest.RTL);
    List<String> modelNames = List.of("m<a>&'b'", "model \"q\"", "m_" + ReportWellFormedTest.RTL);
    List<Model> models = new ArrayList<>();
    int nModels = 1 + r.nextInt(3);
    for (int i = 0; i < nModels; i++) {
      models.add(new Model(modelNames.get(i), familyNames.get(r.nextInt(familyNames.size()))));
    }
    List<Condition> conditions = new ArrayList<>();
    List<String> languages = new ArrayList<>(GeneratedStudy.LANGUAGES);
    int nDirect = 1 + r.nextInt(3);
    for (int i = 0; i < nDirect; i++) {
      String language = languages.remove(r.nextInt(languages.size()));
      String id = "D" + i;
      conditions.add(new Condition(id, "direct <" + language + "> & 'x'", "d" + i + "_" + language, language, null));
      if (r.nextBoolean()) {
        conditions.add(new Condition("T" + i, "transfer \"" + language + "\"", "t" + i + "_" + language, language, id));
      }
    }
    List<String> categories = List.of("cat <a>", "cat & \"b\"", "c,'d'");
    List<Question> questions = new ArrayList<>();
    int nQuestions = 1 + r.nextInt(5);
    int nCategories = 1 + r.nextInt(3);
    for (int i = 1; i <= nQuestions; i++) {
      questions.add(new Question(i * 7, categories.get(r.nextInt(nCategories)), "Q" + i + " <en> & \"x\"",
          "Q" + i + " қазақ ]]>", "Q" + i + " монгол \u0001 " + ReportWellFormedTest.RTL));
    }
    int epochs = 1 + r.nextInt(2);
    Grades grades = Grades.values()[r.nextInt(Grades.values().length)];
    boolean zeroTimes = r.nextInt(4) == 0;
    GeneratedStudy study = new GeneratedStudy(models, conditions, questions, epochs,
        r.nextBoolean() ? Set.of("unused <family>") : Set.of());
    String shape = "seed " + seed + ": " + nModels + " models, " + conditions.size() + " conditions, "
        + nQuestions + " questions, " + epochs + " epochs, grades " + grades + (zeroTimes ? ", times 0" : "");
    SplittableRandom answers = r.split();
    CliRun run = ReportWellFormedTest.report(study, tmp, (c, m, q, e) -> {
      int kind = answers.nextInt(10);
      int n = kind == 0 ? 0 : kind == 1 ? 1 : kind == 2 && answers.nextInt(8) == 0 ? 5_000 : 2 + answers.nextInt(20);
      int[] s = switch (grades) {
        case RANDOM -> new int[] {answers.nextInt(3), answers.nextInt(3), answers.nextInt(3)};
        case CONSTANT -> new int[] {1, 2, 1};
        case ZERO -> new int[] {0, 0, 0};
        case FULL -> new int[] {2, 2, 2};
        case PER_MODEL -> new int[] {models.indexOf(m) % 3, 2, 1};
      };
      double time = zeroTimes ? 0 : Math.round(answers.nextDouble() * 1e6) / 1e3;
      return new Answer(ReportWellFormedTest.words(answers, n), answers.nextBoolean(), time, s[0], s[1], s[2],
          answers.nextInt(4) == 0 ? "" : "note \"" + answers.nextInt(100) + "\", <b>&</b>\n" + ReportWellFormedTest.RTL);
    });
    assertEquals(0, run.exit(), () -> shape + "\n" + run);
    try {
      WellFormedOutput.check(tmp.resolve("out"));
      ReportWellFormedTest.checkTables(study, tmp);
      // Every epoch's answer is a unit of the judge diagnostics (once the epochs of a tuple overwrote
      // one another there, and a 2-epoch study counted half its responses).
      long responses = (long) models.size() * conditions.size() * questions.size() * epochs;
      for (java.util.Map<String, String> row : IndependentAggregates.csv(tmp.resolve("out/tables/judge_diagnostics.csv"))) {
        assertEquals(String.valueOf(responses), row.get("units"), row.toString());
      }
    } catch (AssertionError | Exception e) {
      throw new AssertionError(shape + ": " + e.getMessage(), e);
    }
  }
}
