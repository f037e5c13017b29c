package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/** A row of the times table: one group's response times in seconds. */
public record TimesRow(String scope, String group, String condition, long responses, double meanTimeS,
    double medianTimeS, double q1TimeS, double q3TimeS, double maxTimeS) {

  public static final RowSchema<TimesRow> SCHEMA = RowSchema.of("times",
      "Response time: mean, median and interquartile range",
      List.of(
          column("scope", TimesRow::scope),
          column("group", TimesRow::group),
          column("condition", TimesRow::condition),
          column("responses", TimesRow::responses),
          column("mean_time_s", TimesRow::meanTimeS),
          column("median_time_s", TimesRow::medianTimeS),
          column("q1_time_s", TimesRow::q1TimeS),
          column("q3_time_s", TimesRow::q3TimeS),
          column("max_time_s", TimesRow::maxTimeS)),
      c -> new TimesRow(c.text("scope"), c.text("group"), c.text("condition"), c.count("responses"),
          c.number("mean_time_s"), c.number("median_time_s"), c.number("q1_time_s"), c.number("q3_time_s"),
          c.number("max_time_s")));
}
