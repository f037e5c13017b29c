package dev.cltbench.report;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A table's contract, defined once next to its row record {@code R}: the table's name and title, each
 * column's name with the record's value in it, and how a record is read back from a row's cells by
 * column name. Producers turn records into {@link TableRow}s with it (one envelope type, so every table
 * flows through one PCollection), AssembleTables and the page read rows back as records, and CSV,
 * Markdown, LaTeX, HTML and the console all take the columns from the same {@link Table}.
 *
 * <p>Hand-written rather than a Beam schema: rows keep the exact cell types the renderers print
 * ({@code Long} counts, unrounded {@code Double}s, {@code null} for an empty cell), and a table's
 * columns can depend on the study (one per rubric criterion).
 */
public final class RowSchema<R> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One column: its name and the record's cell in it (a String, Long, Double or null). */
  public record Column<R>(String name, SerializableFunction<R, Object> value) implements Serializable {
    public Column {
      Objects.requireNonNull(name);
      Objects.requireNonNull(value);
    }
  }

  /** Reads a record from the cells of one row; the {@link Cells} say which column is which. */
  public interface Reader<R> extends Serializable {
    R read(Cells cells);
  }

  private final String table;
  private final String title;
  private final List<Column<R>> columns;
  private final List<String> names;
  private final Reader<R> reader;

  private RowSchema(String table, String title, List<Column<R>> columns, Reader<R> reader) {
    this.table = Objects.requireNonNull(table);
    this.title = Objects.requireNonNull(title);
    this.columns = List.copyOf(columns);
    List<String> n = new ArrayList<>();
    for (Column<R> c : this.columns) {
      if (n.contains(c.name())) {
        throw new IllegalArgumentException("table " + table + ": column " + c.name() + " twice");
      }
      n.add(c.name());
    }
    this.names = List.copyOf(n);
    this.reader = Objects.requireNonNull(reader);
  }

  public static <R> RowSchema<R> of(String table, String title, List<Column<R>> columns, Reader<R> reader) {
    return new RowSchema<>(table, title, columns, reader);
  }

  public static <R> Column<R> column(String name, SerializableFunction<R, Object> value) {
    return new Column<>(name, value);
  }

  /** The table's name: the file stem under tables/. */
  public String table() {
    return table;
  }

  public String title() {
    return title;
  }

  /** The column names, in the table's order. */
  public List<String> columns() {
    return names;
  }

  /** The record's cells, in column order. */
  public List<Object> cells(R record) {
    List<Object> cells = new ArrayList<>(columns.size());
    for (Column<R> c : columns) {
      Object v = c.value().apply(record);
      if (v != null && !(v instanceof String || v instanceof Long || v instanceof Double)) {
        throw new IllegalStateException("table " + table + ", column " + c.name() + ": unsupported cell type "
            + v.getClass().getName());
      }
      cells.add(v);
    }
    return cells;
  }

  /** The record as a row on its way through the pipeline, put in the table's order by {@code sortKey}. */
  public TableRow row(R record, String sortKey) {
    return new TableRow(table, sortKey, cells(record));
  }

  /** The record a pipeline row of this table holds. */
  public R record(TableRow row) {
    if (!row.table().equals(table)) {
      throw new IllegalArgumentException("a row of table " + row.table() + " is not a row of " + table);
    }
    return read(names, row.cells());
  }

  /** The records of the rows, in order. */
  public List<R> records(List<TableRow> rows) {
    List<R> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(record(r)));
    return out;
  }

  /** Whether {@code t} has every column this schema reads (a table built elsewhere may lack some). */
  public boolean fits(Table t) {
    return t.columns().containsAll(names);
  }

  /** The rows of a finished table as records, read by column name, in the table's order. */
  public List<R> rows(Table t) {
    List<R> out = new ArrayList<>(t.rows().size());
    for (List<Object> row : t.rows()) {
      out.add(read(t.columns(), row));
    }
    return out;
  }

  /** The finished table of these records, in their order. */
  public Table table(List<R> records) {
    List<List<Object>> rows = new ArrayList<>(records.size());
    records.forEach(r -> rows.add(cells(r)));
    return new Table(table, title, names, rows);
  }

  /**
   * The records of a CSV file this schema wrote ({@link Table#toCsv}), read by its header: each cell's
   * text is taken as the type its record asks for, an empty cell as null (NaN where the record's number
   * is always there, as {@link Table#plain} writes NaN).
   */
  public List<R> readCsv(String csv) {
    try (CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
        .parse(new StringReader(csv))) {
      List<R> out = new ArrayList<>();
      for (CSVRecord r : p) {
        out.add(reader.read(new Cells(table, p.getHeaderNames(), new ArrayList<>(r.toList()), true)));
      }
      return out;
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException("table " + table + ": malformed CSV: " + e.getMessage(), e);
    }
  }

  private R read(List<String> columnNames, List<Object> cells) {
    return reader.read(new Cells(table, columnNames, cells, false));
  }

  /**
   * One row's cells by column name, typed: a record's reader asks for each of its columns by the name
   * its schema gives it, so a renamed or misplaced column fails loudly instead of reading a neighbour.
   */
  public static final class Cells {
    private final String table;
    private final Map<String, Integer> index;
    private final List<Object> cells;
    private final boolean texts;

    Cells(String table, List<String> columns, List<Object> cells, boolean texts) {
      if (columns.size() != cells.size()) {
        throw new IllegalArgumentException("table " + table + ": row has " + cells.size() + " cells, expected "
            + columns.size());
      }
      this.table = table;
      this.index = new HashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        index.put(columns.get(i), i);
      }
      this.cells = cells;
      this.texts = texts;
    }

    private Object get(String column) {
      Integer i = index.get(column);
      if (i == null) {
        throw new IllegalArgumentException("table " + table + " has no column " + column);
      }
      return cells.get(i);
    }

    private <T> T typed(String column, Class<T> type, boolean nullable) {
      Object v = texts ? parse(column, type, (String) get(column)) : get(column);
      if (v == null) {
        if (nullable) {
          return null;
        }
        throw new IllegalArgumentException("table " + table + ", column " + column + ": empty cell");
      }
      if (!type.isInstance(v)) {
        throw new IllegalArgumentException("table " + table + ", column " + column + ": expected "
            + type.getSimpleName() + ", got " + v.getClass().getSimpleName());
      }
      return type.cast(v);
    }

    /** A CSV cell's text as {@code type}; empty is null. */
    private Object parse(String column, Class<?> type, String text) {
      if (text == null || text.isEmpty()) {
        return type == String.class && text != null ? "" : null;
      }
      try {
        if (type == Long.class) {
          return Long.parseLong(text);
        }
        if (type == Double.class) {
          return Double.parseDouble(text);
        }
        return text;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("table " + table + ", column " + column + ": not a "
            + (type == Long.class ? "whole number" : "number") + ": '" + text + "'");
      }
    }

    public String text(String column) {
      return typed(column, String.class, false);
    }

    /** Null for an empty cell (a CSV writes null as empty). */
    public String textOrNull(String column) {
      String v = typed(column, String.class, true);
      return texts && v != null && v.isEmpty() ? null : v;
    }

    public long count(String column) {
      return typed(column, Long.class, false);
    }

    public Long countOrNull(String column) {
      return typed(column, Long.class, true);
    }

    /** A number that is always there (NaN when it cannot be computed). */
    public double number(String column) {
      if (texts) {
        Double v = typed(column, Double.class, true);
        return v == null ? Double.NaN : v;
      }
      return typed(column, Double.class, false);
    }

    public Double numberOrNull(String column) {
      return typed(column, Double.class, true);
    }
  }
}
