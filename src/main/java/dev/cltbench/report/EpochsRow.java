package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the epochs table: per model and condition, how far the epochs (repeats) of a tuple spread,
 * in percent of the maximum total.
 *
 * @param answers the graded epochs of all the group's tuples
 */
public record EpochsRow(String model, String condition, long tuples, long answers, double meanWithinTupleSdPct,
    double tuplesDifferingPct, double maxRangePct) {

  public static final RowSchema<EpochsRow> SCHEMA = RowSchema.of("epochs",
      "Repeats: spread of each tuple's total score over its epochs",
      List.of(
          column("model", EpochsRow::model),
          column("condition", EpochsRow::condition),
          column("tuples", EpochsRow::tuples),
          column("answers", EpochsRow::answers),
          column("mean_within_tuple_sd_pct", EpochsRow::meanWithinTupleSdPct),
          column("tuples_differing_pct", EpochsRow::tuplesDifferingPct),
          column("max_range_pct", EpochsRow::maxRangePct)),
      c -> new EpochsRow(c.text("model"), c.text("condition"), c.count("tuples"), c.count("answers"),
          c.number("mean_within_tuple_sd_pct"), c.number("tuples_differing_pct"), c.number("max_range_pct")));
}
