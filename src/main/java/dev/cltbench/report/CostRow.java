package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A row of a run's {@code tables/costs.csv}: the calls of one model in one stage, their tokens and what
 * they cost. Money is kept in exact micro-dollars and written as dollars with six decimals.
 *
 * @param calls calls made ({@code failedCalls} of them failed)
 * @param attempts the HTTP requests the calls took
 * @param outputTokens as reported, reasoning tokens included
 * @param costMicros what this run spent
 * @param failedCallsCostMicros the part of {@code costMicros} spent on failed calls
 * @param studyCostMicros what the whole study cost, cached calls at the tokens recorded when made
 * @param recordedAnswers answers read from a recorded study: no call of this study
 */
public record CostRow(String model, String stage, long calls, long cachedCalls, long failedCalls, long attempts,
    long inputTokens, long outputTokens, long reasoningTokens, long billedInputTokens, long billedOutputTokens,
    long costMicros, long failedCallsCostMicros, long studyCostMicros, long recordedAnswers) {

  public static final RowSchema<CostRow> SCHEMA = RowSchema.of("costs",
      "Cost of the run: calls, tokens and spend per model and stage",
      List.of(
          column("model", CostRow::model),
          column("stage", CostRow::stage),
          column("calls", CostRow::calls),
          column("cached_calls", CostRow::cachedCalls),
          column("failed_calls", CostRow::failedCalls),
          column("attempts", CostRow::attempts),
          column("input_tokens", CostRow::inputTokens),
          column("output_tokens", CostRow::outputTokens),
          column("reasoning_tokens", CostRow::reasoningTokens),
          column("billed_input_tokens", CostRow::billedInputTokens),
          column("billed_output_tokens", CostRow::billedOutputTokens),
          column("cost_usd", r -> usd(r.costMicros())),
          column("failed_calls_cost_usd", r -> usd(r.failedCallsCostMicros())),
          column("study_cost_usd", r -> usd(r.studyCostMicros())),
          column("recorded_answers", CostRow::recordedAnswers)),
      c -> new CostRow(c.text("model"), c.text("stage"), c.count("calls"), c.count("cached_calls"),
          c.count("failed_calls"), c.count("attempts"), c.count("input_tokens"), c.count("output_tokens"),
          c.count("reasoning_tokens"), c.count("billed_input_tokens"), c.count("billed_output_tokens"),
          micros(c.text("cost_usd")), micros(c.text("failed_calls_cost_usd")), micros(c.text("study_cost_usd")),
          c.count("recorded_answers")));

  /** Micro-dollars as dollars with six decimals, exactly. */
  public static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  static long micros(String usd) {
    return new BigDecimal(usd).movePointRight(6).longValueExact();
  }

  /** The CSV header: the schema's columns. */
  public static String header() {
    return String.join(",", SCHEMA.columns());
  }

  /** One CSV line of the row (names of models and stages hold no comma or quote). */
  public static String csvLine(CostRow row) {
    List<String> texts = new ArrayList<>();
    SCHEMA.cells(row).forEach(c -> texts.add(Table.csvText(c)));
    return String.join(",", texts);
  }

  /** {@code tables/costs.csv}: the header, then the rows in the order of their lines. */
  public static String csv(List<CostRow> rows) {
    List<String> lines = new ArrayList<>();
    rows.forEach(r -> lines.add(csvLine(r)));
    lines.sort(Comparator.naturalOrder());
    StringBuilder csv = new StringBuilder(header()).append('\n');
    lines.forEach(l -> csv.append(l).append('\n'));
    return csv.toString();
  }
}
