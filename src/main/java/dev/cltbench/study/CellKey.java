package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Comparator;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * One cell of a study: a condition and a model (one results file, one row of the per-model tables).
 * Sorted field by field, condition first: the order of the "condition U+001F model" strings it replaces.
 */
public record CellKey(String condition, String model) implements Comparable<CellKey> {
  private static final Comparator<CellKey> ORDER =
      Comparator.comparing(CellKey::condition).thenComparing(CellKey::model);

  @Override
  public int compareTo(CellKey o) {
    return ORDER.compare(this, o);
  }

  /** Deterministic, so a GroupByKey may key by it. */
  public static Coder<CellKey> coder() {
    return CellKeyCoder.INSTANCE;
  }

  private static final class CellKeyCoder extends AtomicCoder<CellKey> {
    static final CellKeyCoder INSTANCE = new CellKeyCoder();

    @Override
    public void encode(CellKey k, OutputStream out) throws IOException {
      Wire.string(k.condition, out);
      Wire.string(k.model, out);
    }

    @Override
    public CellKey decode(InputStream in) throws IOException {
      return new CellKey(Wire.string(in), Wire.string(in));
    }

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
