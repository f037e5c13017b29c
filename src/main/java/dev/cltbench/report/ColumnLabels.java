package dev.cltbench.report;

import java.util.Locale;
import java.util.Map;

/**
 * Readable column headers with units for the page and the LaTeX tables ("Diff. (pp)", not diff_pp);
 * the CSV keeps the column names, which are the contract. Unknown columns get a label derived from
 * the name (words, and the unit suffix _pct, _pp or _s as a unit).
 */
public final class ColumnLabels {
  private ColumnLabels() {}

  private static final Map<String, String> LABELS = Map.ofEntries(
      Map.entry("responses", "Responses"),
      Map.entry("score_pct", "Score (%)"),
      Map.entry("accuracy_pct", "Accuracy (%)"),
      Map.entry("fluency_pct", "Fluency (%)"),
      Map.entry("completeness_pct", "Completeness (%)"),
      Map.entry("mean_time_s", "Mean time (s)"),
      Map.entry("mean_words", "Mean words"),
      Map.entry("delta_clt_pp", "Δ transfer (pp)"),
      Map.entry("pairs", "Pairs"),
      Map.entry("diff_pp", "Diff. (pp)"),
      Map.entry("ci_low_pp", "CI low (pp)"),
      Map.entry("ci_high_pp", "CI high (pp)"),
      Map.entry("p_value", "p"),
      Map.entry("p_adjusted", "p (Holm)"),
      Map.entry("ci_low_pct", "CI low (%)"),
      Map.entry("ci_high_pct", "CI high (%)"),
      Map.entry("expected_language_pct", "Expected language (%)"),
      Map.entry("wrong_language_pct", "Wrong language (%)"),
      Map.entry("top_wrong_language", "Top wrong language"),
      Map.entry("median_time_s", "Median time (s)"),
      Map.entry("q1_time_s", "Q1 (s)"),
      Map.entry("q3_time_s", "Q3 (s)"),
      Map.entry("max_time_s", "Max (s)"),
      Map.entry("questions", "Questions"),
      Map.entry("sd_pair_pp", "SD pair (pp)"),
      Map.entry("sd_question_pp", "SD question (pp)"),
      Map.entry("design_effect", "Design effect"),
      Map.entry("alpha", "α"),
      Map.entry("mde_pp", "MDE (pp)"),
      Map.entry("questions_for_2pp", "Questions for 2 pp"),
      Map.entry("questions_for_5pp", "Questions for 5 pp"),
      Map.entry("alpha_strictest", "α strictest"),
      Map.entry("mde_strictest_pp", "MDE strictest (pp)"),
      Map.entry("units", "Units"),
      Map.entry("rater_a", "Rater A"),
      Map.entry("rater_b", "Rater B"),
      Map.entry("exact_agreement_pct", "Exact agreement (%)"),
      Map.entry("quadratic_kappa", "Quadratic κ"),
      Map.entry("krippendorff_alpha_ordinal", "Krippendorff α (ordinal)"));

  /** The header for a column, as plain Unicode text. */
  public static String label(String column) {
    String known = LABELS.get(column);
    if (known != null) {
      return known;
    }
    String unit = "";
    String base = column;
    for (String[] u : new String[][] {{"_pct", " (%)"}, {"_pp", " (pp)"}, {"_s", " (s)"}, {"_usd", " (USD)"}}) {
      if (base.endsWith(u[0])) {
        base = base.substring(0, base.length() - u[0].length());
        unit = u[1];
        break;
      }
    }
    String words = base.replace('_', ' ');
    return words.isEmpty() ? column
        : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1) + unit;
  }

  /** The header for LaTeX text mode: specials escaped, Greek letters in math mode. */
  public static String latex(String column) {
    return LatexTables.escape(label(column)).replace("α", "$\\alpha$").replace("κ", "$\\kappa$")
        .replace("Δ", "$\\Delta$");
  }
}
