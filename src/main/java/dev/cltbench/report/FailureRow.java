package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of a run's failures table: how many lines of failures.jsonl share a stage, model, condition,
 * status and kind, and whether their tuples were still graded (one judge of a panel failed, the others
 * graded). Empty fields are empty strings, as in the file.
 */
public record FailureRow(String stage, String model, String condition, String status, String kind,
    boolean tupleGraded, long failures) {

  public static final RowSchema<FailureRow> SCHEMA = RowSchema.of("failures",
      "Failures of the run, per stage, model, condition, status and kind",
      List.of(
          column("stage", FailureRow::stage),
          column("model", FailureRow::model),
          column("condition", FailureRow::condition),
          column("status", FailureRow::status),
          column("kind", FailureRow::kind),
          column("tuple_graded", r -> String.valueOf(r.tupleGraded())),
          column("failures", FailureRow::failures)),
      c -> new FailureRow(c.text("stage"), c.text("model"), c.text("condition"), c.text("status"), c.text("kind"),
          Boolean.parseBoolean(c.text("tuple_graded")), c.count("failures")));
}
