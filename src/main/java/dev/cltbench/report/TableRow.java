package dev.cltbench.report;

import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * One row of an output table on its way through the pipeline: the table's name, a sort key that puts
 * rows in the study's own order (so tables are identical whatever order a runner delivers rows in) and
 * the cells ({@link String}, {@link Long}, {@link Double} or null).
 */
public record TableRow(String table, String sortKey, List<Object> cells) {

  public TableRow {
    cells = java.util.Collections.unmodifiableList(new ArrayList<>(cells));
  }

  public static Coder<TableRow> coder() {
    return RowCoder.INSTANCE;
  }

  private static final class RowCoder extends AtomicCoder<TableRow> {
    static final RowCoder INSTANCE = new RowCoder();

    @Override
    public void encode(TableRow row, OutputStream out) throws IOException {
      Wire.string(row.table, out);
      Wire.string(row.sortKey, out);
      Wire.integer(row.cells.size(), out);
      for (Object cell : row.cells) {
        if (cell == null) {
          out.write(0);
        } else if (cell instanceof String s) {
          out.write(1);
          Wire.string(s, out);
        } else if (cell instanceof Long l) {
          out.write(2);
          Wire.longValue(l, out);
        } else if (cell instanceof Double d) {
          out.write(3);
          Wire.doubleValue(d, out);
        } else {
          throw new IOException("unsupported cell type " + cell.getClass());
        }
      }
    }

    @Override
    public TableRow decode(InputStream in) throws IOException {
      String table = Wire.string(in);
      String sortKey = Wire.string(in);
      int n = Wire.integer(in);
      List<Object> cells = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int tag = in.read();
        switch (tag) {
          case 0 -> cells.add(null);
          case 1 -> cells.add(Wire.string(in));
          case 2 -> cells.add(Wire.longValue(in));
          case 3 -> cells.add(Wire.doubleValue(in));
          default -> throw new IOException("corrupt TableRow cell tag " + tag);
        }
      }
      return new TableRow(table, sortKey, cells);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
