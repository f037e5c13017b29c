package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the intervals table: the mean total score of one group (a condition, a family or a model
 * under a condition) in percent of the maximum, with its bootstrap confidence interval.
 *
 * @param scope {@code condition}, {@code family} or {@code model}
 * @param group the family or model, {@code all} in the condition scope
 */
public record IntervalRow(String scope, String group, String condition, long responses, double scorePct,
    double ciLowPct, double ciHighPct) {

  public static final RowSchema<IntervalRow> SCHEMA = RowSchema.of("intervals",
      "Mean score with bootstrap confidence intervals (clustered by question where models are pooled)",
      List.of(
          column("scope", IntervalRow::scope),
          column("group", IntervalRow::group),
          column("condition", IntervalRow::condition),
          column("responses", IntervalRow::responses),
          column("score_pct", IntervalRow::scorePct),
          column("ci_low_pct", IntervalRow::ciLowPct),
          column("ci_high_pct", IntervalRow::ciHighPct)),
      c -> new IntervalRow(c.text("scope"), c.text("group"), c.text("condition"), c.count("responses"),
          c.number("score_pct"), c.number("ci_low_pct"), c.number("ci_high_pct")));
}
