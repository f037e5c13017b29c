package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Markdown and LaTeX rendering of a hand-built table; every expected string is written by hand. */
class TableRenderingTest {

  private static Table sample() {
    return new Table("t_x", "Scores & 100% _test_",
        List.of("condition", "responses", "score_pct", "mean_time_s", "p_value", "delta_clt_pp", "note"),
        List.of(
            Arrays.asList("C1_en", 400L, 90.66666666666667, 7.3449, 0.00042, null, "a|b*c"),
            Arrays.asList("C2 #1", 50L, 76.85, 14.605, 0.04567, -0.04, "x~y^z\\w{}$"),
            Arrays.asList("C3", 0L, 100.0, 0.005, 1.0, -3.25, ""),
            Arrays.asList("C4", 7L, 0.05, 1234.5, 0.0999951, 2.05, "Қазақ тілі")));
  }

  @Test
  void markdown() {
    String expected = String.join("\n",
        "## Scores \\& 100% \\_test\\_",
        "",
        "| condition | responses | score_pct | mean_time_s | p_value | delta_clt_pp | note |",
        "| :-- | --: | --: | --: | --: | --: | :-- |",
        "| C1_en | 400 | 90.7 | 7.34 | \\<0.001 | — | a\\|b\\*c |",
        "| C2 #1 | 50 | 76.9 | 14.61 | 0.0457 | 0.0 | x~y^z\\\\w{}$ |",
        "| C3 | 0 | 100.0 | 0.01 | 1.00 | -3.3 |  |",
        "| C4 | 7 | 0.1 | 1234.50 | 0.100 | +2.1 | Қазақ тілі |",
        "");
    assertEquals(expected, MarkdownTables.render(sample()));
  }

  @Test
  void latex() {
    String expected = String.join("\n",
        "\\begin{table}[htbp]",
        "  \\centering",
        "  \\caption{Scores \\& 100\\% \\_test\\_}",
        "  \\label{tab:t-x}",
        "  \\begin{tabular}{lrrrrrl}",
        "    \\toprule",
        // Readable headers with units, not the CSV's column names.
        "    Condition & Responses & Score (\\%) & Mean time (s) & p & $\\Delta$ transfer (pp) & Note \\\\",
        "    \\midrule",
        "    C1\\_en & 400 & 90.7 & 7.34 & \\textless{}0.001 & --- & a\\textbar{}b*c \\\\",
        "    C2 \\#1 & 50 & 76.9 & 14.61 & 0.0457 & 0.0 & "
            + "x\\textasciitilde{}y\\textasciicircum{}z\\textbackslash{}w\\{\\}\\$ \\\\",
        "    C3 & 0 & 100.0 & 0.01 & 1.00 & $-$3.3 &  \\\\",
        "    C4 & 7 & 0.1 & 1234.50 & 0.100 & +2.1 & Қазақ тілі \\\\",
        "    \\bottomrule",
        "  \\end{tabular}",
        "\\end{table}",
        "");
    assertEquals(expected, LatexTables.render(sample()));
  }

  @Test
  void markdownUnderscoresOnlyEscapedWhereTheyCouldStartEmphasis() {
    assertEquals("gpt_5.2", MarkdownTables.escapeCell("gpt_5.2"));
    assertEquals("\\_x", MarkdownTables.escapeCell("_x"));
    assertEquals("a \\_b\\_ c", MarkdownTables.escapeCell("a _b_ c"));
    assertEquals("line one line two", MarkdownTables.escapeCell("line one\r\nline two"));
  }

  @Test
  void numberFormatsByColumnName() {
    assertEquals("0.500", NumberFormats.format("p_value", 0.5));
    assertEquals("1.00", NumberFormats.format("p_adjusted", 1.0));
    assertEquals("0.00100", NumberFormats.format("p_adjusted", 0.001));
    assertEquals("<0.001", NumberFormats.format("p_value", 0.000999));
    assertEquals("0.0124", NumberFormats.format("p_value", 0.012351));
    assertEquals("12.3", NumberFormats.format("ci_low_pct", 12.345));
    assertEquals("-12.4", NumberFormats.format("diff_pp", -12.35));
    assertEquals("+0.1", NumberFormats.format("diff_pp", 0.05));
    assertEquals("0.0", NumberFormats.format("ci_low_pp", -0.01));
    assertEquals("3.14", NumberFormats.format("mean_time_s", 3.14159));
    assertEquals("236.8", NumberFormats.format("mean_words", 236.75));
    assertEquals("0.71", NumberFormats.format("weighted_kappa", 0.7134));
    assertEquals("12", NumberFormats.format("score_pct", 12L));
    assertEquals("n/a", NumberFormats.format("score_pct", Double.NaN));
    assertEquals("кыргызча", NumberFormats.format("top_wrong_language", "кыргызча"));
    assertEquals(null, NumberFormats.format("score_pct", null));
  }

  @Test
  void columnWithOnlyEmptyCellsAlignsByName() {
    Table t = new Table("d", "D", List.of("family", "delta_clt_pp", "comment"),
        List.of(Arrays.asList("bilingual", null, null)));
    assertEquals(String.join("\n", "## D", "", "| family | delta_clt_pp | comment |",
        "| :-- | --: | :-- |", "| bilingual | — | — |", ""), MarkdownTables.render(t));
  }
}
