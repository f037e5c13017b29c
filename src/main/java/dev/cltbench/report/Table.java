package dev.cltbench.report;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One output table: a name (the file stem under {@code tables/}), a title for humans, named columns and
 * rows of cells. A cell is a {@link String}, a {@link Long}, a {@link Double} or {@code null} (empty).
 * Numbers are kept unrounded here; each renderer decides how to print them. The report's tables are
 * built from, and read back as, their row records ({@link RowSchema}); renderers walk the cells.
 */
public final class Table implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String title;
  private final List<String> columns;
  private final List<List<Object>> rows;

  public Table(String name, String title, List<String> columns, List<List<Object>> rows) {
    this.name = Objects.requireNonNull(name);
    this.title = Objects.requireNonNull(title);
    this.columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException(
            "table " + name + ": row has " + row.size() + " cells, expected " + columns.size());
      }
      for (Object cell : row) {
        if (cell != null && !(cell instanceof String || cell instanceof Long || cell instanceof Double)) {
          throw new IllegalArgumentException("table " + name + ": unsupported cell type " + cell.getClass());
        }
      }
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    this.rows = Collections.unmodifiableList(copy);
  }

  public String name() {
    return name;
  }

  public String title() {
    return title;
  }

  public List<String> columns() {
    return columns;
  }

  public List<List<Object>> rows() {
    return rows;
  }

  public int columnIndex(String column) {
    int i = columns.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("table " + name + " has no column " + column);
    }
    return i;
  }

  /**
   * The shortest decimal that reads back as the same double, never in exponent notation, so CSV stays
   * unrounded and byte-identical across runs and JVMs.
   */
  public static String plain(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "";
    }
    String s = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /** A cell as CSV text: unrounded numbers, empty for null. */
  public static String csvText(Object cell) {
    if (cell == null) {
      return "";
    }
    if (cell instanceof Double) {
      return plain((Double) cell);
    }
    return cell.toString();
  }

  /** RFC 4180 CSV with a header row and LF line ends. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    appendCsvLine(sb, new ArrayList<>(columns));
    for (List<Object> row : rows) {
      List<Object> texts = new ArrayList<>(row.size());
      for (Object cell : row) {
        texts.add(csvText(cell));
      }
      appendCsvLine(sb, texts);
    }
    return sb.toString();
  }

  private static void appendCsvLine(StringBuilder sb, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String s = String.valueOf(cells.get(i));
      if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(s);
      }
    }
    sb.append('\n');
  }
}
