package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the judge diagnostics table: one judge's leniency (its score minus the other judges' mean on
 * the same response, pp), length bias (correlation of its score with answer length within question) and
 * self-preference (leniency on related models minus leniency on the others, pp), each with its interval
 * over questions; an estimate that cannot be computed (one judge, no related model) is null.
 *
 * @param provider the judge's provider, null for the recorded grades of an unnamed judge
 * @param relatedModels the graded models sharing the judge's provider or family, space-separated; null if none
 */
public record JudgeDiagnosticsRow(String judge, String provider, long units, Double leniencyPp,
    Double leniencyCiLowPp, Double leniencyCiHighPp, Double lengthR, Double lengthRCiLow, Double lengthRCiHigh,
    String relatedModels, long relatedUnits, Double selfPreferencePp, Double selfPreferenceCiLowPp,
    Double selfPreferenceCiHighPp) {

  public static final RowSchema<JudgeDiagnosticsRow> SCHEMA = RowSchema.of("judge_diagnostics",
      "Judge diagnostics: leniency, length bias and self-preference, with intervals over questions",
      List.of(
          column("judge", JudgeDiagnosticsRow::judge),
          column("provider", JudgeDiagnosticsRow::provider),
          column("units", JudgeDiagnosticsRow::units),
          column("leniency_pp", JudgeDiagnosticsRow::leniencyPp),
          column("leniency_ci_low_pp", JudgeDiagnosticsRow::leniencyCiLowPp),
          column("leniency_ci_high_pp", JudgeDiagnosticsRow::leniencyCiHighPp),
          column("length_r", JudgeDiagnosticsRow::lengthR),
          column("length_r_ci_low", JudgeDiagnosticsRow::lengthRCiLow),
          column("length_r_ci_high", JudgeDiagnosticsRow::lengthRCiHigh),
          column("related_models", JudgeDiagnosticsRow::relatedModels),
          column("related_units", JudgeDiagnosticsRow::relatedUnits),
          column("self_preference_pp", JudgeDiagnosticsRow::selfPreferencePp),
          column("self_preference_ci_low_pp", JudgeDiagnosticsRow::selfPreferenceCiLowPp),
          column("self_preference_ci_high_pp", JudgeDiagnosticsRow::selfPreferenceCiHighPp)),
      c -> new JudgeDiagnosticsRow(c.text("judge"), c.textOrNull("provider"), c.count("units"),
          c.numberOrNull("leniency_pp"), c.numberOrNull("leniency_ci_low_pp"), c.numberOrNull("leniency_ci_high_pp"),
          c.numberOrNull("length_r"), c.numberOrNull("length_r_ci_low"), c.numberOrNull("length_r_ci_high"),
          c.textOrNull("related_models"), c.count("related_units"), c.numberOrNull("self_preference_pp"),
          c.numberOrNull("self_preference_ci_low_pp"), c.numberOrNull("self_preference_ci_high_pp")));
}
