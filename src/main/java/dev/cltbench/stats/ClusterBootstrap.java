package dev.cltbench.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Cluster (question-level) percentile bootstrap of a pooled mean: each resample draws as many questions
 * as the scope has, with replacement, and takes the mean over all values of the drawn questions
 * (sum of cluster sums over sum of cluster sizes). With one value per question this is the ordinary
 * bootstrap of the mean. Hand-written for the same reason as {@link BootstrapMean}: no maintained
 * library here has a bootstrap, and the loop is a few lines over a commons-rng generator.
 */
public final class ClusterBootstrap {
  private ClusterBootstrap() {}

  /**
   * @param values values over all clusters; {@code clusters} questions; the mean of all values and its
   *     percentile interval (type 1 quantiles, as {@link BootstrapMean})
   */
  public record Interval(long values, long clusters, double mean, double lower, double upper) {}

  public static Interval ci(ClusterHistogram h, double confidence, int resamples, long seed) {
    return withParts(h, confidence, resamples, seed).get(0);
  }

  /**
   * The interval of the values' mean and of each part's mean ({@link ClusterHistogram.Cluster#parts()},
   * e.g. a total score's criteria), all from the same resamples of questions: the first interval is
   * the values', then one per part. The values' interval is {@link #ci}'s, whatever the parts: the
   * clusters are ordered by the values first, so a resample draws the same values with or without
   * them.
   */
  public static List<Interval> withParts(ClusterHistogram h, double confidence, int resamples, long seed) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be positive: " + resamples);
    }
    List<Map.Entry<ClusterHistogram.Cluster, Long>> distinct = h.distinct();
    int n = (int) h.clusters();
    long values = h.values();
    int w = distinct.isEmpty() ? 0 : distinct.get(0).getKey().parts().length;
    List<Interval> out = new ArrayList<>(w + 1);
    if (n == 0 || values == 0) {
      for (int c = 0; c <= w; c++) {
        out.add(new Interval(values, n, Double.NaN, Double.NaN, Double.NaN));
      }
      return out;
    }
    int k = distinct.size();
    // Column 0 the values' sums, column 1 + c part c's: row j is distinct cluster j.
    long[] sums = new long[k * (w + 1)];
    long[] sizes = new long[k];
    int[] slot = new int[n]; // the distinct cluster at each position of the expanded, sorted list
    long[] totals = new long[w + 1];
    for (int j = 0, i = 0; j < k; j++) {
      ClusterHistogram.Cluster cluster = distinct.get(j).getKey();
      if (cluster.parts().length != w) {
        throw new IllegalArgumentException("clusters of " + w + " and " + cluster.parts().length + " parts");
      }
      long m = distinct.get(j).getValue();
      sums[j * (w + 1)] = cluster.sum();
      for (int c = 0; c < w; c++) {
        sums[j * (w + 1) + 1 + c] = cluster.parts()[c];
      }
      for (int c = 0; c <= w; c++) {
        totals[c] += sums[j * (w + 1) + c] * m;
      }
      sizes[j] = cluster.size();
      for (long c = 0; c < m; c++) {
        slot[i++] = j;
      }
    }
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    double[][] means = new double[w + 1][resamples];
    long[] picks = new long[k];
    long[] s = new long[w + 1];
    for (int b = 0; b < resamples; b++) {
      Arrays.fill(picks, 0);
      for (int i = 0; i < n; i++) {
        picks[slot[rng.nextInt(n)]]++;
      }
      Arrays.fill(s, 0);
      long m = 0;
      for (int j = 0; j < k; j++) {
        long p = picks[j];
        for (int c = 0; c <= w; c++) {
          s[c] += p * sums[j * (w + 1) + c];
        }
        m += p * sizes[j];
      }
      for (int c = 0; c <= w; c++) {
        means[c][b] = m == 0 ? (double) totals[c] / values : (double) s[c] / m;
      }
    }
    double tail = (1 - confidence) / 2;
    for (int c = 0; c <= w; c++) {
      Arrays.sort(means[c]);
      out.add(new Interval(values, n, (double) totals[c] / values, BootstrapMean.quantile(means[c], tail),
          BootstrapMean.quantile(means[c], 1 - tail)));
    }
    return out;
  }
}
