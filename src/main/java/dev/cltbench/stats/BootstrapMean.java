package dev.cltbench.stats;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Percentile bootstrap confidence interval of a mean. Hand-written: commons-statistics has no
 * bootstrap, and the resampling loop is a few lines over a commons-rng generator.
 */
public final class BootstrapMean {
  private BootstrapMean() {}

  /** {@code n} values, their mean and the {@code confidence} percentile interval of the mean. */
  public record Interval(long n, double mean, double lower, double upper) {}

  /**
   * Resamples {@code values} with replacement {@code resamples} times from a generator seeded with
   * {@code seed}. The values are sorted first, so the interval depends only on the multiset of values,
   * not on the order a runner delivered them in. Bounds are the inverted-CDF (type 1) quantiles of the
   * resample means at (1 - confidence)/2 and (1 + confidence)/2, so each bound is an attained mean.
   */
  public static Interval ci(double[] values, double confidence, int resamples, long seed) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be positive: " + resamples);
    }
    int n = values.length;
    if (n == 0) {
      return new Interval(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double mean = sum(sorted) / n;
    // Grades take few distinct values: resample those with their counts (one uniform draw per value
    // picked, as for the expanded array) but sum per distinct value, which keeps the inner loop short
    // and the sums exact for integer grades.
    double[] distinct = new double[n];
    int[] upTo = new int[n]; // cumulative counts: draw r < upTo[j] selects distinct[j]
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (k == 0 || Double.compare(sorted[i], distinct[k - 1]) != 0) {
        distinct[k++] = sorted[i];
      }
      upTo[k - 1] = i + 1;
    }
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    double[] means = new double[resamples];
    if (k == 1) {
      Arrays.fill(means, distinct[0]);
    } else {
      // Index of the distinct value for each position of the sorted array, to avoid a search per draw.
      int[] slot = new int[n];
      for (int j = 0, i = 0; j < k; j++) {
        while (i < upTo[j]) {
          slot[i++] = j;
        }
      }
      long[] picks = new long[k];
      for (int b = 0; b < resamples; b++) {
        Arrays.fill(picks, 0);
        for (int i = 0; i < n; i++) {
          picks[slot[rng.nextInt(n)]]++;
        }
        double s = 0;
        for (int j = 0; j < k; j++) {
          s += picks[j] * distinct[j];
        }
        means[b] = s / n;
      }
      Arrays.sort(means);
    }
    double tail = (1 - confidence) / 2;
    return new Interval(n, mean, quantile(means, tail), quantile(means, 1 - tail));
  }

  /** Inverted empirical CDF: the smallest sorted value whose cumulative fraction reaches q. */
  static double quantile(double[] sorted, double q) {
    int idx = (int) Math.ceil(q * sorted.length - 1e-9) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
