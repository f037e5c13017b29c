package dev.cltbench.stats;

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
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be positive: " + resamples);
    }
    List<Map.Entry<ClusterHistogram.Cluster, Long>> distinct = h.distinct();
    int n = (int) h.clusters();
    long values = h.values();
    if (n == 0 || values == 0) {
      return new Interval(values, n, Double.NaN, Double.NaN, Double.NaN);
    }
    int k = distinct.size();
    long[] sums = new long[k];
    long[] sizes = new long[k];
    int[] slot = new int[n]; // the distinct cluster at each position of the expanded, sorted list
    long totalSum = 0;
    for (int j = 0, i = 0; j < k; j++) {
      sums[j] = distinct.get(j).getKey().sum();
      sizes[j] = distinct.get(j).getKey().size();
      long m = distinct.get(j).getValue();
      totalSum += sums[j] * m;
      for (long c = 0; c < m; c++) {
        slot[i++] = j;
      }
    }
    double mean = (double) totalSum / values;
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    double[] means = new double[resamples];
    long[] picks = new long[k];
    for (int b = 0; b < resamples; b++) {
      Arrays.fill(picks, 0);
      for (int i = 0; i < n; i++) {
        picks[slot[rng.nextInt(n)]]++;
      }
      long s = 0;
      long m = 0;
      for (int j = 0; j < k; j++) {
        s += picks[j] * sums[j];
        m += picks[j] * sizes[j];
      }
      means[b] = m == 0 ? mean : (double) s / m;
    }
    Arrays.sort(means);
    double tail = (1 - confidence) / 2;
    return new Interval(values, n, mean, BootstrapMean.quantile(means, tail),
        BootstrapMean.quantile(means, 1 - tail));
  }
}
