package dev.cltbench.stats;

import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * Counts of paired score differences (treatment total minus control total). Differences of rubric
 * totals take few distinct values, so a scope of any size is summarised in constant memory, and the
 * expanded array is sorted, which makes the bootstrap that reads it independent of arrival order.
 */
public final class DiffHistogram {
  private final TreeMap<Integer, Long> counts;

  public DiffHistogram() {
    this(new TreeMap<>());
  }

  private DiffHistogram(TreeMap<Integer, Long> counts) {
    this.counts = counts;
  }

  public DiffHistogram add(int diff) {
    counts.merge(diff, 1L, Long::sum);
    return this;
  }

  public DiffHistogram merge(DiffHistogram other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    return this;
  }

  public long pairs() {
    long n = 0;
    for (long v : counts.values()) {
      n += v;
    }
    return n;
  }

  /** Every difference, ascending. */
  public double[] sortedDiffs() {
    double[] out = new double[(int) pairs()];
    int i = 0;
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      for (long k = 0; k < e.getValue(); k++) {
        out[i++] = e.getKey();
      }
    }
    return out;
  }

  public static Coder<DiffHistogram> coder() {
    return HistogramCoder.INSTANCE;
  }

  private static final class HistogramCoder extends AtomicCoder<DiffHistogram> {
    static final HistogramCoder INSTANCE = new HistogramCoder();

    @Override
    public void encode(DiffHistogram h, OutputStream out) throws IOException {
      Wire.integer(h.counts.size(), out);
      for (Map.Entry<Integer, Long> e : h.counts.entrySet()) {
        Wire.longValue(e.getKey(), out);
        Wire.longValue(e.getValue(), out);
      }
    }

    @Override
    public DiffHistogram decode(InputStream in) throws IOException {
      int n = Wire.integer(in);
      TreeMap<Integer, Long> counts = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        counts.put((int) Wire.longValue(in), Wire.longValue(in));
      }
      return new DiffHistogram(counts);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
