package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the power table: what one comparison of the significance table can detect at 80% power.
 * {@code questionsFor2pp} and {@code questionsFor5pp} are null when there is no spread between questions
 * to size a study by; {@code alphaStrictest} and {@code mdeStrictestPp} need the number of comparisons,
 * so they are null until all rows meet.
 */
public record PowerRow(String scope, String treatment, String control, long questions, long pairs,
    double sdPairPp, double sdQuestionPp, double designEffect, double alpha, double mdePp,
    Long questionsFor2pp, Long questionsFor5pp, Double alphaStrictest, Double mdeStrictestPp) {

  public static final RowSchema<PowerRow> SCHEMA = RowSchema.of("power",
      "What each comparison can detect: minimum detectable effect at 80% power, questions needed for 2 and 5 points",
      List.of(
          column("scope", PowerRow::scope),
          column("treatment", PowerRow::treatment),
          column("control", PowerRow::control),
          column("questions", PowerRow::questions),
          column("pairs", PowerRow::pairs),
          column("sd_pair_pp", PowerRow::sdPairPp),
          column("sd_question_pp", PowerRow::sdQuestionPp),
          column("design_effect", PowerRow::designEffect),
          column("alpha", PowerRow::alpha),
          column("mde_pp", PowerRow::mdePp),
          column("questions_for_2pp", PowerRow::questionsFor2pp),
          column("questions_for_5pp", PowerRow::questionsFor5pp),
          column("alpha_strictest", PowerRow::alphaStrictest),
          column("mde_strictest_pp", PowerRow::mdeStrictestPp)),
      c -> new PowerRow(c.text("scope"), c.text("treatment"), c.text("control"), c.count("questions"),
          c.count("pairs"), c.number("sd_pair_pp"), c.number("sd_question_pp"), c.number("design_effect"),
          c.number("alpha"), c.number("mde_pp"), c.countOrNull("questions_for_2pp"),
          c.countOrNull("questions_for_5pp"), c.numberOrNull("alpha_strictest"),
          c.numberOrNull("mde_strictest_pp")));

  /** With the level Holm tests the smallest p-value at, and the effect detectable at that level. */
  public PowerRow withStrictest(double alphaStrictest, double mdeStrictestPp) {
    return new PowerRow(scope, treatment, control, questions, pairs, sdPairPp, sdQuestionPp, designEffect, alpha,
        mdePp, questionsFor2pp, questionsFor5pp, alphaStrictest, mdeStrictestPp);
  }
}
