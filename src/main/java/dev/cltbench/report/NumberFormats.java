package dev.cltbench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * How every renderer prints a table cell, decided by the column's name in one place so that Markdown,
 * LaTeX and HTML agree. Always {@link Locale#ROOT}: a decimal point and no grouping, whatever the JVM.
 *
 * <ul>
 *   <li>{@code p_value}, {@code p_adjusted}, {@code p}: 3 significant digits, {@code "<0.001"} below 0.001;
 *   <li>{@code *_pp} (differences in percentage points): 1 decimal with an explicit sign, {@code "+3.5"};
 *       but {@code sd_*_pp} and {@code mde_*_pp} are sizes, not differences: 1 decimal, no sign;
 *   <li>{@code alpha*} (significance levels such as Holm's strictest, 0.05/24): 3 significant digits;
 *   <li>{@code *_pct}: 1 decimal;
 *   <li>{@code *_s} (seconds): 2 decimals;
 *   <li>{@code *_words}, {@code *_tokens}, {@code *_chars} (mean counts): 1 decimal;
 *   <li>other doubles (kappa, correlations, ...): {@link #DEFAULT_DECIMALS} decimals;
 *   <li>{@code Long}: the integer; {@code String}: as is; {@code null}: {@code null} (the renderer
 *       decides how an empty cell looks). NaN or infinite doubles print as {@code "n/a"}.
 * </ul>
 */
public final class NumberFormats {
  /** Decimals for a double in a column with no rule of its own ({@code mean_words}, kappa, ...). */
  public static final int DEFAULT_DECIMALS = 2;

  /** What a column holds, judged from its name. */
  public enum Kind {
    P_VALUE,
    /** A significance level: 3 significant digits, never rounded to 0.00. */
    LEVEL,
    POINTS_DIFF,
    /** A size in percentage points (a standard deviation, a detectable effect): unsigned. */
    POINTS_SIZE,
    PERCENT,
    SECONDS,
    MEAN_COUNT,
    /** Money: cents hide what a run of cheap calls cost, so four places. */
    USD,
    OTHER
  }

  private NumberFormats() {}

  public static Kind kindOf(String column) {
    if (column.equals("p") || column.equals("p_value") || column.equals("p_adjusted")
        || column.startsWith("p_value_") || column.startsWith("p_adj")) {
      return Kind.P_VALUE;
    }
    if (column.equals("alpha") || column.startsWith("alpha_")) {
      return Kind.LEVEL;
    }
    if (column.endsWith("_pp") && (column.startsWith("sd_") || column.startsWith("mde_"))) {
      return Kind.POINTS_SIZE;
    }
    if (column.endsWith("_pp")) {
      return Kind.POINTS_DIFF;
    }
    if (column.endsWith("_pct")) {
      return Kind.PERCENT;
    }
    if (column.endsWith("_s")) {
      return Kind.SECONDS;
    }
    if (column.endsWith("_usd")) {
      return Kind.USD;
    }
    if (column.endsWith("_words") || column.endsWith("_tokens") || column.endsWith("_chars")) {
      return Kind.MEAN_COUNT;
    }
    return Kind.OTHER;
  }

  /** The cell as display text, or {@code null} for an empty cell. */
  public static String format(String column, Object cell) {
    if (cell == null) {
      return null;
    }
    if (cell instanceof Long) {
      return cell.toString();
    }
    if (cell instanceof Double) {
      return formatDouble(kindOf(column), (Double) cell);
    }
    return cell.toString();
  }

  static String formatDouble(Kind kind, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "n/a";
    }
    switch (kind) {
      case P_VALUE:
        return pValue(v);
      case POINTS_DIFF: {
        String s = fixed(v, 1);
        return s.startsWith("-") || s.equals("0.0") ? s : "+" + s;
      }
      case LEVEL:
        return v == 0 ? "0" : BigDecimal.valueOf(v).round(new MathContext(3, RoundingMode.HALF_UP))
            .stripTrailingZeros().toPlainString();
      case POINTS_SIZE:
      case PERCENT:
        return fixed(v, 1);
      case SECONDS:
        return fixed(v, 2);
      case MEAN_COUNT:
        return fixed(v, 1);
      case USD:
        return fixed(v, 4);
      default:
        return fixed(v, DEFAULT_DECIMALS);
    }
  }

  /** {@code decimals} places, half-up on the decimal value, never {@code "-0.0"}. */
  public static String fixed(double v, int decimals) {
    String s = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    if (s.startsWith("-") && s.chars().allMatch(c -> c == '-' || c == '0' || c == '.')) {
      s = s.substring(1);
    }
    return s;
  }

  /** 3 significant digits (trailing zeros kept: 0.500), or {@code "<0.001"}. */
  public static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "n/a";
    }
    if (p < 0.001) {
      return "<0.001";
    }
    BigDecimal b = BigDecimal.valueOf(p).round(new MathContext(3, RoundingMode.HALF_UP));
    if (b.precision() < 3) {
      b = b.setScale(b.scale() + 3 - b.precision(), RoundingMode.UNNECESSARY);
    }
    return b.toPlainString();
  }

  /**
   * Whether a column is right-aligned: every non-empty cell is a number (Long or Double) and at least
   * one is, or the column's name marks it as numeric.
   */
  public static boolean isNumericColumn(Table table, String column) {
    int i = table.columnIndex(column);
    boolean any = false;
    for (List<Object> row : table.rows()) {
      Object cell = row.get(i);
      if (cell == null) {
        continue;
      }
      if (!(cell instanceof Long || cell instanceof Double)) {
        return false;
      }
      any = true;
    }
    return any || kindOf(column) != Kind.OTHER;
  }

  /** The cell as a double when it is a number, else NaN. */
  static double number(Object cell) {
    if (cell instanceof Double) {
      return (Double) cell;
    }
    if (cell instanceof Long) {
      return ((Long) cell).doubleValue();
    }
    return Double.NaN;
  }
}
