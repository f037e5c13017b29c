package dev.cltbench.stats;

import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * Exact counts of distinct values (response times: recorded to the hundredth of a second, so a group of
 * any size has few distinct values), for order statistics that do not depend on arrival order. Means
 * are exact decimal sums, as in {@link ScoreSummary}.
 */
public final class ValueHistogram {
  private final TreeMap<Double, Long> counts;

  public ValueHistogram() {
    this(new TreeMap<>());
  }

  private ValueHistogram(TreeMap<Double, Long> counts) {
    this.counts = counts;
  }

  public ValueHistogram add(double v) {
    counts.merge(v + 0.0, 1L, Long::sum);
    return this;
  }

  public ValueHistogram merge(ValueHistogram other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    return this;
  }

  public long count() {
    long n = 0;
    for (long c : counts.values()) {
      n += c;
    }
    return n;
  }

  public double mean() {
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (Map.Entry<Double, Long> e : counts.entrySet()) {
      sum = sum.add(new BigDecimal(e.getKey()).multiply(BigDecimal.valueOf(e.getValue())));
    }
    return sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL64).doubleValue();
  }

  public double max() {
    return counts.isEmpty() ? Double.NaN : counts.lastKey();
  }

  /**
   * The p-quantile by linear interpolation between order statistics (Hyndman and Fan type 7, the
   * default of R and NumPy): position (n - 1) p of the sorted values, counted from 0.
   */
  public double quantile(double p) {
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    double h = (n - 1) * p;
    long lo = (long) Math.floor(h);
    double a = orderStatistic(lo);
    double b = orderStatistic(Math.min(n - 1, lo + 1));
    return a + (h - lo) * (b - a);
  }

  /** The k-th smallest value, from 0. */
  private double orderStatistic(long k) {
    long seen = 0;
    for (Map.Entry<Double, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (k < seen) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("no order statistic " + k);
  }

  public static Coder<ValueHistogram> coder() {
    return HistogramCoder.INSTANCE;
  }

  private static final class HistogramCoder extends AtomicCoder<ValueHistogram> {
    static final HistogramCoder INSTANCE = new HistogramCoder();

    @Override
    public void encode(ValueHistogram h, OutputStream out) throws IOException {
      Wire.integer(h.counts.size(), out);
      for (Map.Entry<Double, Long> e : h.counts.entrySet()) {
        Wire.doubleValue(e.getKey(), out);
        Wire.longValue(e.getValue(), out);
      }
    }

    @Override
    public ValueHistogram decode(InputStream in) throws IOException {
      int n = Wire.integer(in);
      TreeMap<Double, Long> counts = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        counts.put(Wire.doubleValue(in), Wire.longValue(in));
      }
      return new ValueHistogram(counts);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
