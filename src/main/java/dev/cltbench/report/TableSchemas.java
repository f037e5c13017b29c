package dev.cltbench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private static final String NO_PAIRS = "no question was answered under both conditions, so there is no pair to compare";
  private static final String NO_RESPONSES = "the group has no graded response";
  private static final String ONE_QUESTION = "fewer than two questions have pairs, and a spread between questions needs two";
  private static final Map<String, Map<String, String>> EMPTY_BECAUSE = Map.of(
      "significance", reasons(NO_PAIRS, "diff_pp", "ci_low_pp", "ci_high_pp", "p_value", "p_adjusted"),
      "intervals", reasons(NO_RESPONSES, "score_pct", "ci_low_pct", "ci_high_pct"),
      "criterion_intervals", reasons(NO_RESPONSES, "score_pct", "ci_low_pct", "ci_high_pct"),
      "power", merge(reasons("fewer than two pairs, and a spread needs two", "sd_pair_pp"),
          reasons(ONE_QUESTION, "sd_question_pp", "mde_pp", "questions_for_2pp", "questions_for_5pp",
              "mde_strictest_pp"),
          reasons("the pairs' differences do not vary (or there are fewer than two), so the ratio of the two"
              + " spreads divides by zero", "design_effect")),
      "judge_agreement", reasons("every grade the raters gave for the criterion is one and the same (or too few"
          + " responses are graded by both), so agreement expected by chance is total and the coefficient is"
          + " undefined", "quadratic_kappa", "krippendorff_alpha_ordinal"));

  /**
   * Why a column may be empty in a row that exists: its statistic cannot be computed from that row's
   * data. Columns empty by design (a direct condition's delta, no wrong language) are not listed.
   */
  public static Map<String, String> emptyBecause(String table) {
    return EMPTY_BECAUSE.getOrDefault(table, Map.of());
  }

  /**
   * One sentence per reason that leaves cells of {@code table} empty (null, NaN or infinite), naming the
   * columns and how many rows: the page and the Markdown tables print them under the table, so an empty
   * cell is never a silent gap.
   */
  public static List<String> emptyCellNotes(Table table) {
    Map<String, List<String>> columnsByReason = new LinkedHashMap<>();
    Map<String, Integer> rowsByReason = new LinkedHashMap<>();
    Map<String, String> because = emptyBecause(table.name());
    for (String column : table.columns()) {
      String reason = because.get(column);
      if (reason == null) {
        continue;
      }
      int i = table.columnIndex(column);
      int empty = 0;
      for (List<Object> row : table.rows()) {
        Object cell = row.get(i);
        empty += cell == null || (cell instanceof Double d && (d.isNaN() || d.isInfinite())) ? 1 : 0;
      }
      if (empty > 0) {
        columnsByReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(column);
        rowsByReason.merge(reason, empty, Math::max);
      }
    }
    List<String> notes = new ArrayList<>();
    columnsByReason.forEach((reason, columns) -> notes.add("Empty in " + rowsByReason.get(reason) + " of "
        + table.rows().size() + (table.rows().size() == 1 ? " row (" : " rows (") + String.join(", ", columns)
        + "): " + reason + "."));
    return notes;
  }

  private static Map<String, String> reasons(String reason, String... columns) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String c : columns) {
      m.put(c, reason);
    }
    return m;
  }

  @SafeVarargs
  private static Map<String, String> merge(Map<String, String>... parts) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map<String, String> p : parts) {
      m.putAll(p);
    }
    return m;
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
