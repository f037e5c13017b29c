package dev.cltbench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The column contract of every table the report writes (names are the files under tables/). The score
 * tables carry one {@code <criterion>_pct} column per criterion of the study's rubric.
 */
public final class TableSchemas {
  private TableSchemas() {}

  /** A score table's metrics: the total score, then one column per rubric criterion, in its order. */
  public static List<String> metrics(List<String> criteria) {
    List<String> m = new ArrayList<>(List.of("responses", "score_pct"));
    criteria.forEach(c -> m.add(c + "_pct"));
    m.addAll(List.of("mean_time_s", "mean_words"));
    return List.copyOf(m);
  }

  public static List<String> conditions(List<String> criteria) {
    return concat(List.of("condition"), metrics(criteria), List.of());
  }

  public static List<String> families(List<String> criteria) {
    return concat(List.of("family", "condition"), metrics(criteria), List.of("delta_clt_pp"));
  }

  public static List<String> models(List<String> criteria) {
    return concat(List.of("model", "condition"), metrics(criteria), List.of("delta_clt_pp"));
  }

  public static List<String> categories(List<String> criteria) {
    return concat(List.of("category", "condition"), metrics(criteria), List.of());
  }

  public static final List<String> SIGNIFICANCE = List.of("scope", "treatment", "control", "pairs",
      "diff_pp", "ci_low_pp", "ci_high_pp", "p_value", "p_adjusted");
  public static final List<String> INTERVALS = List.of("scope", "group", "condition", "responses",
      "score_pct", "ci_low_pct", "ci_high_pct");
  public static final List<String> CRITERION_INTERVALS = List.of("scope", "group", "condition", "criterion",
      "responses", "score_pct", "ci_low_pct", "ci_high_pct");
  public static final List<String> POWER = List.of("scope", "treatment", "control", "questions",
      "pairs", "sd_pair_pp", "sd_question_pp", "design_effect", "alpha", "mde_pp",
      "questions_for_2pp", "questions_for_5pp", "alpha_strictest", "mde_strictest_pp");
  public static final List<String> TIMES = List.of("scope", "group", "condition", "responses",
      "mean_time_s", "median_time_s", "q1_time_s", "q3_time_s", "max_time_s");
  public static final List<String> LANGUAGE = List.of("model", "condition", "responses",
      "expected_language_pct", "wrong_language_pct", "top_wrong_language");

  /** Per model and condition, how far the epochs (repeats) of a tuple spread; pct of the maximum total. */
  public static final List<String> EPOCHS = List.of("model", "condition", "tuples", "answers",
      "mean_within_tuple_sd_pct", "tuples_differing_pct", "max_range_pct");

  public static final List<String> JUDGE_AGREEMENT = List.of("criterion", "rater_a", "rater_b", "units",
      "exact_agreement_pct", "quadratic_kappa", "krippendorff_alpha_ordinal");

  /** Table name, its title, its columns, in the order the report shows them. */
  public record Schema(String name, String title, List<String> columns) {}

  /** Every table of a study whose rubric has {@code criteria} (in the pipeline file's order). */
  public static List<Schema> all(List<String> criteria) {
    return List.of(
      new Schema("conditions", "Scores by condition", conditions(criteria)),
      new Schema("families", "Scores by model family and condition", families(criteria)),
      new Schema("models", "Scores by model and condition", models(criteria)),
      new Schema("categories", "Scores by question category and condition", categories(criteria)),
      new Schema("significance",
          "Transfer vs direct: paired differences, bootstrap CIs clustered by question, paired-test p-values (Holm-adjusted)",
          SIGNIFICANCE),
      new Schema("power",
          "What each comparison can detect: minimum detectable effect at 80% power, questions needed for 2 and 5 points",
          POWER),
      new Schema("intervals", "Mean score with bootstrap confidence intervals (clustered by question where models are pooled)", INTERVALS),
      new Schema("criterion_intervals",
          "Mean score per rubric criterion with bootstrap confidence intervals (clustered by question where models are pooled)",
          CRITERION_INTERVALS),
      new Schema("times", "Response time: mean, median and interquartile range", TIMES),
      new Schema("language", "Language of the evaluated answers (automatic identification)",
          LANGUAGE),
      new Schema("judge_agreement",
          "Judge agreement per criterion: quadratic-weighted Cohen's kappa per pair, Krippendorff's alpha",
          JUDGE_AGREEMENT),
      new Schema("epochs", "Repeats: spread of each tuple's total score over its epochs", EPOCHS));
  }

  public static Schema schema(List<String> criteria, String name) {
    return all(criteria).stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no table " + name));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> out = new ArrayList<>();
    for (List<String> p : parts) {
      out.addAll(p);
    }
    return List.copyOf(out);
  }
}
