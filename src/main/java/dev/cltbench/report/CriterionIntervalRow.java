package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the criterion intervals table: one rubric criterion's mean score in a group, in percent of
 * the criterion's maximum, with its bootstrap confidence interval (the accuracy and fluency figures
 * draw these).
 */
public record CriterionIntervalRow(String scope, String group, String condition, String criterion,
    long responses, double scorePct, double ciLowPct, double ciHighPct) {

  public static final RowSchema<CriterionIntervalRow> SCHEMA = RowSchema.of("criterion_intervals",
      "Mean score per rubric criterion with bootstrap confidence intervals (clustered by question where models are pooled)",
      List.of(
          column("scope", CriterionIntervalRow::scope),
          column("group", CriterionIntervalRow::group),
          column("condition", CriterionIntervalRow::condition),
          column("criterion", CriterionIntervalRow::criterion),
          column("responses", CriterionIntervalRow::responses),
          column("score_pct", CriterionIntervalRow::scorePct),
          column("ci_low_pct", CriterionIntervalRow::ciLowPct),
          column("ci_high_pct", CriterionIntervalRow::ciHighPct)),
      c -> new CriterionIntervalRow(c.text("scope"), c.text("group"), c.text("condition"), c.text("criterion"),
          c.count("responses"), c.number("score_pct"), c.number("ci_low_pct"), c.number("ci_high_pct")));
}
