package dev.cltbench.report;

import static dev.cltbench.report.RowSchema.column;

import java.util.List;

/**
 * A row of the language table: per model and condition, the share of evaluated texts identified as the
 * expected language, the share identified as another one, and the most frequent other language (null
 * when none was).
 */
public record LanguageRow(String model, String condition, long responses, double expectedLanguagePct,
    double wrongLanguagePct, String topWrongLanguage) {

  public static final RowSchema<LanguageRow> SCHEMA = RowSchema.of("language",
      "Language of the evaluated answers (automatic identification)",
      List.of(
          column("model", LanguageRow::model),
          column("condition", LanguageRow::condition),
          column("responses", LanguageRow::responses),
          column("expected_language_pct", LanguageRow::expectedLanguagePct),
          column("wrong_language_pct", LanguageRow::wrongLanguagePct),
          column("top_wrong_language", LanguageRow::topWrongLanguage)),
      c -> new LanguageRow(c.text("model"), c.text("condition"), c.count("responses"),
          c.number("expected_language_pct"), c.number("wrong_language_pct"), c.textOrNull("top_wrong_language")));
}
