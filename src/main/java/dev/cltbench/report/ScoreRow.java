package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row of the score tables (conditions, families, models, categories): one group under one condition,
 * its mean total score and the mean of each rubric criterion in percent of the maximum, in the rubric's
 * order, with mean time and words. Which group a table has, and whether it has the transfer delta, is
 * the table's {@link Kind}; its criterion columns come from the study's rubric.
 *
 * @param group the family, model or category; {@code all} in the conditions table
 * @param criterionPct criterion name to percent of its maximum, in the rubric's order
 * @param deltaCltPp a transfer condition's score minus the same group's under the direct condition it is
 *     compared with; null for a direct condition, in tables without the column, and until rows meet
 */
public record ScoreRow(String group, String condition, long responses, double scorePct,
    Map<String, Double> criterionPct, double meanTimeS, double meanWords, Double deltaCltPp) {

  public ScoreRow {
    criterionPct = Collections.unmodifiableMap(new LinkedHashMap<>(criterionPct));
  }

  /** The four score tables: the group's column (none in the conditions table) and the delta column. */
  public enum Kind {
    CONDITIONS("conditions", "Scores by condition", null, false),
    FAMILIES("families", "Scores by model family and condition", "family", true),
    MODELS("models", "Scores by model and condition", "model", true),
    CATEGORIES("categories", "Scores by question category and condition", "category", false);

    private final String table;
    private final String title;
    private final String groupColumn;
    private final boolean delta;

    Kind(String table, String title, String groupColumn, boolean delta) {
      this.table = table;
      this.title = title;
      this.groupColumn = groupColumn;
      this.delta = delta;
    }

    public String table() {
      return table;
    }

    /** The table's schema for a rubric whose criteria are {@code criteria}, in the pipeline file's order. */
    public RowSchema<ScoreRow> schema(List<String> criteria) {
      List<String> names = List.copyOf(criteria);
      List<RowSchema.Column<ScoreRow>> columns = new ArrayList<>();
      if (groupColumn != null) {
        columns.add(column(groupColumn, ScoreRow::group));
      }
      columns.add(column("condition", ScoreRow::condition));
      columns.add(column("responses", ScoreRow::responses));
      columns.add(column("score_pct", ScoreRow::scorePct));
      for (String criterion : names) {
        columns.add(column(criterion + "_pct", r -> r.criterionPct().get(criterion)));
      }
      columns.add(column("mean_time_s", ScoreRow::meanTimeS));
      columns.add(column("mean_words", ScoreRow::meanWords));
      if (delta) {
        columns.add(column("delta_clt_pp", ScoreRow::deltaCltPp));
      }
      String group = groupColumn;
      boolean hasDelta = delta;
      return RowSchema.of(table, title, columns, c -> {
        Map<String, Double> pct = new LinkedHashMap<>();
        for (String criterion : names) {
          pct.put(criterion, c.number(criterion + "_pct"));
        }
        return new ScoreRow(group == null ? "all" : c.text(group), c.text("condition"), c.count("responses"),
            c.number("score_pct"), pct, c.number("mean_time_s"), c.number("mean_words"),
            hasDelta ? c.numberOrNull("delta_clt_pp") : null);
      });
    }
  }

  /**
   * The schema a finished score table was written with: its criteria are its {@code <criterion>_pct}
   * columns (the page renders tables without knowing the study's rubric).
   */
  public static List<String> criteria(Table t) {
    return criteria(t.columns());
  }

  /** The criteria of a score table with these columns (a CSV file's header). */
  public static List<String> criteria(List<String> columns) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      if (c.endsWith("_pct") && !c.equals("score_pct")) {
        out.add(c.substring(0, c.length() - "_pct".length()));
      }
    }
    return out;
  }

  /** The percent of {@code criterion}'s maximum, or NaN when the rubric has no such criterion. */
  public double criterion(String criterion) {
    Double v = criterionPct.get(criterion);
    return v == null ? Double.NaN : v;
  }

  public ScoreRow withDeltaCltPp(Double delta) {
    return new ScoreRow(group, condition, responses, scorePct, criterionPct, meanTimeS, meanWords, delta);
  }
}
