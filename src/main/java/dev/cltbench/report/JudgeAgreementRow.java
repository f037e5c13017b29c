package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the judge agreement table: one criterion (or the total) for one pair of raters, or for all
 * raters at once ({@code rater_a} = {@code all}, {@code rater_b} empty). A coefficient is null where
 * it is undefined (no variation in the grades, or no units graded by both).
 */
public record JudgeAgreementRow(String criterion, String raterA, String raterB, long units,
    Double exactAgreementPct, Double quadraticKappa, Double krippendorffAlphaOrdinal) {

  public static final RowSchema<JudgeAgreementRow> SCHEMA = RowSchema.of("judge_agreement",
      "Judge agreement per criterion: quadratic-weighted Cohen's kappa per pair, Krippendorff's alpha",
      List.of(
          column("criterion", JudgeAgreementRow::criterion),
          column("rater_a", JudgeAgreementRow::raterA),
          column("rater_b", JudgeAgreementRow::raterB),
          column("units", JudgeAgreementRow::units),
          column("exact_agreement_pct", JudgeAgreementRow::exactAgreementPct),
          column("quadratic_kappa", JudgeAgreementRow::quadraticKappa),
          column("krippendorff_alpha_ordinal", JudgeAgreementRow::krippendorffAlphaOrdinal)),
      c -> new JudgeAgreementRow(c.text("criterion"), c.text("rater_a"), c.text("rater_b"), c.count("units"),
          c.numberOrNull("exact_agreement_pct"), c.numberOrNull("quadratic_kappa"),
          c.numberOrNull("krippendorff_alpha_ordinal")));
}
