package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the significance table: one transfer condition against the direct condition it is compared
 * with, in one scope ({@code overall}, {@code family:<name>} or {@code model:<name>}), in percentage
 * points. {@code pAdjusted} is Holm's adjustment across the whole table, null until all rows meet.
 */
public record SignificanceRow(String scope, String treatment, String control, long pairs, double diffPp,
    double ciLowPp, double ciHighPp, double pValue, Double pAdjusted) {

  public static final RowSchema<SignificanceRow> SCHEMA = RowSchema.of("significance",
      "Transfer vs direct: paired differences, bootstrap CIs clustered by question, paired-test p-values (Holm-adjusted)",
      List.of(
          column("scope", SignificanceRow::scope),
          column("treatment", SignificanceRow::treatment),
          column("control", SignificanceRow::control),
          column("pairs", SignificanceRow::pairs),
          column("diff_pp", SignificanceRow::diffPp),
          column("ci_low_pp", SignificanceRow::ciLowPp),
          column("ci_high_pp", SignificanceRow::ciHighPp),
          column("p_value", SignificanceRow::pValue),
          column("p_adjusted", SignificanceRow::pAdjusted)),
      c -> new SignificanceRow(c.text("scope"), c.text("treatment"), c.text("control"), c.count("pairs"),
          c.number("diff_pp"), c.number("ci_low_pp"), c.number("ci_high_pp"), c.number("p_value"),
          c.numberOrNull("p_adjusted")));

  public SignificanceRow withPAdjusted(double adjusted) {
    return new SignificanceRow(scope, treatment, control, pairs, diffPp, ciLowPp, ciHighPp, pValue, adjusted);
  }
}
