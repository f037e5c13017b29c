package dev.cltbench.stats;

import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * The values of a scope grouped by question (the cluster): for every question, the sum, the number and
 * the sum of squares of its integer values (paired differences, or scores), counted by distinct
 * cluster. Every question of a benchmark is answered by every model, so a scope that pools models holds
 * several correlated values per question; resampling questions, not values, keeps that correlation in
 * the interval. Integer values take few distinct cluster sums, so a scope of any size stays small, and
 * the sorted distinct clusters make everything computed from it independent of arrival order.
 */
public final class ClusterHistogram {
  /**
   * One question's values: their sum, their number and the sum of their squares; and, for values that
   * come with parts (a score and its criteria), each part's sum, so that one resample of questions
   * gives every part's mean with the whole's. Ordered by the whole first: its expanded order is the
   * same with or without parts.
   */
  public record Cluster(long sum, int size, long sumSquares, long[] parts) implements Comparable<Cluster> {
    private static final long[] NONE = new long[0];

    public Cluster(long sum, int size, long sumSquares) {
      this(sum, size, sumSquares, NONE);
    }

    @Override
    public int compareTo(Cluster o) {
      int c = Long.compare(sum, o.sum);
      if (c == 0) {
        c = Integer.compare(size, o.size);
      }
      if (c == 0) {
        c = Long.compare(sumSquares, o.sumSquares);
      }
      return c != 0 ? c : java.util.Arrays.compare(parts, o.parts);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cluster c && compareTo(c) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(sum, size, sumSquares, java.util.Arrays.hashCode(parts));
    }

    @Override
    public String toString() {
      return "Cluster[sum=" + sum + ", size=" + size + ", sumSquares=" + sumSquares
          + (parts.length == 0 ? "" : ", parts=" + java.util.Arrays.toString(parts)) + "]";
    }

    public static Cluster of(long value) {
      return new Cluster(value, 1, value * value);
    }

    public Cluster plus(Cluster o) {
      if (parts.length != o.parts.length) {
        throw new IllegalArgumentException("clusters of " + parts.length + " and " + o.parts.length + " parts");
      }
      long[] p = parts.clone();
      for (int i = 0; i < p.length; i++) {
        p[i] += o.parts[i];
      }
      return new Cluster(sum + o.sum, size + o.size, sumSquares + o.sumSquares, p);
    }

    public static Coder<Cluster> coder() {
      return ClusterCoder.INSTANCE;
    }
  }

  private final TreeMap<Cluster, Long> counts;

  public ClusterHistogram() {
    this(new TreeMap<>());
  }

  private ClusterHistogram(TreeMap<Cluster, Long> counts) {
    this.counts = counts;
  }

  public ClusterHistogram add(Cluster c) {
    counts.merge(c, 1L, Long::sum);
    return this;
  }

  public ClusterHistogram merge(ClusterHistogram other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    return this;
  }

  /** Number of clusters (questions). */
  public long clusters() {
    long n = 0;
    for (long v : counts.values()) {
      n += v;
    }
    return n;
  }

  /** Number of values over all clusters. */
  public long values() {
    long n = 0;
    for (Map.Entry<Cluster, Long> e : counts.entrySet()) {
      n += e.getKey().size() * e.getValue();
    }
    return n;
  }

  /** Distinct clusters, ascending, with their multiplicities. */
  public List<Map.Entry<Cluster, Long>> distinct() {
    return new ArrayList<>(counts.entrySet());
  }

  /** Every cluster, ascending (one entry per question). */
  public List<Cluster> expanded() {
    List<Cluster> out = new ArrayList<>();
    counts.forEach((c, k) -> {
      for (long i = 0; i < k; i++) {
        out.add(c);
      }
    });
    return out;
  }

  public static Coder<ClusterHistogram> coder() {
    return HistogramCoder.INSTANCE;
  }

  private static final class ClusterCoder extends AtomicCoder<Cluster> {
    static final ClusterCoder INSTANCE = new ClusterCoder();

    @Override
    public void encode(Cluster c, OutputStream out) throws IOException {
      Wire.longValue(c.sum(), out);
      Wire.integer(c.size(), out);
      Wire.longValue(c.sumSquares(), out);
      Wire.integer(c.parts().length, out);
      for (long p : c.parts()) {
        Wire.longValue(p, out);
      }
    }

    @Override
    public Cluster decode(InputStream in) throws IOException {
      long sum = Wire.longValue(in);
      int size = Wire.integer(in);
      long sumSquares = Wire.longValue(in);
      long[] parts = new long[Wire.integer(in)];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = Wire.longValue(in);
      }
      return new Cluster(sum, size, sumSquares, parts);
    }

    @Override
    public void verifyDeterministic() {}
  }

  private static final class HistogramCoder extends AtomicCoder<ClusterHistogram> {
    static final HistogramCoder INSTANCE = new HistogramCoder();

    @Override
    public void encode(ClusterHistogram h, OutputStream out) throws IOException {
      Wire.integer(h.counts.size(), out);
      for (Map.Entry<Cluster, Long> e : h.counts.entrySet()) {
        ClusterCoder.INSTANCE.encode(e.getKey(), out);
        Wire.longValue(e.getValue(), out);
      }
    }

    @Override
    public ClusterHistogram decode(InputStream in) throws IOException {
      int n = Wire.integer(in);
      TreeMap<Cluster, Long> counts = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        counts.put(ClusterCoder.INSTANCE.decode(in), Wire.longValue(in));
      }
      return new ClusterHistogram(counts);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
