package dev.cltbench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every table the report writes (names are the files under tables/), in the order the report shows
 * them. Each table's columns are defined once, by its row record's {@link RowSchema}; the score tables
 * carry one {@code <criterion>_pct} column per criterion of the study's rubric.
 */
public final class TableSchemas {
  private TableSchemas() {}

  /** Every table of a study whose rubric has {@code criteria} (in the pipeline file's order). */
  public static List<RowSchema<?>> all(List<String> criteria) {
    return List.of(
        ScoreRow.Kind.CONDITIONS.schema(criteria),
        ScoreRow.Kind.FAMILIES.schema(criteria),
        ScoreRow.Kind.MODELS.schema(criteria),
        ScoreRow.Kind.CATEGORIES.schema(criteria),
        SignificanceRow.SCHEMA,
        PowerRow.SCHEMA,
        IntervalRow.SCHEMA,
        CriterionIntervalRow.SCHEMA,
        TimesRow.SCHEMA,
        LanguageRow.SCHEMA,
        JudgeAgreementRow.SCHEMA,
        EpochsRow.SCHEMA);
  }

  private static final String NO_PAIRS = "no question was answered under both conditions, so there is no pair to compare";
  private static final String NO_RESPONSES = "the group has no graded response";
  private static final String ONE_QUESTION = "fewer than two questions have pairs, and a spread between questions needs two";
  private static final Map<String, Map<String, String>> EMPTY_BECAUSE = Map.of(
      SignificanceRow.SCHEMA.table(), reasons(SignificanceRow.SCHEMA, NO_PAIRS, "diff_pp", "ci_low_pp", "ci_high_pp", "p_value", "p_adjusted"),
      IntervalRow.SCHEMA.table(), reasons(IntervalRow.SCHEMA, NO_RESPONSES, "score_pct", "ci_low_pct", "ci_high_pct"),
      CriterionIntervalRow.SCHEMA.table(), reasons(CriterionIntervalRow.SCHEMA, NO_RESPONSES, "score_pct", "ci_low_pct", "ci_high_pct"),
      PowerRow.SCHEMA.table(), merge(reasons(PowerRow.SCHEMA, "fewer than two pairs, and a spread needs two", "sd_pair_pp"),
          reasons(PowerRow.SCHEMA, ONE_QUESTION, "sd_question_pp", "mde_pp", "questions_for_2pp", "questions_for_5pp",
              "mde_strictest_pp"),
          reasons(PowerRow.SCHEMA, "the pairs' differences do not vary (or there are fewer than two), so the ratio of the two"
              + " spreads divides by zero", "design_effect")),
      JudgeAgreementRow.SCHEMA.table(), reasons(JudgeAgreementRow.SCHEMA, "every grade the raters gave for the criterion is one and the same (or too few"
          + " responses are graded by both), so agreement expected by chance is total and the coefficient is"
          + " undefined", "quadratic_kappa", "krippendorff_alpha_ordinal"));

  /**
   * Why a column may be empty in a row that exists: its statistic cannot be computed from that row's
   * data. Columns empty by design (a direct condition's delta, no wrong language) are not listed.
   */
  private static Map<String, String> emptyBecause(String table) {
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

  /** The reason for each of {@code columns}, each checked against the row record's schema: a renamed column fails at once. */
  private static Map<String, String> reasons(RowSchema<?> schema, String reason, String... columns) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String c : columns) {
      if (!schema.columns().contains(c)) {
        throw new IllegalStateException("table " + schema.table() + " has no column " + c);
      }
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
}
