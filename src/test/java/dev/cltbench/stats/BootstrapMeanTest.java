package dev.cltbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BootstrapMeanTest {
  /** n grades cycling through 0..6 with a skew towards high grades, like rubric totals. */
  static double[] grades(int n) {
    int[] pattern = {6, 5, 6, 3, 0, 4, 6, 2, 5, 1};
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = pattern[i % pattern.length];
    }
    return v;
  }

  @Test
  void intervalContainsTheMeanAndReportsIt() {
    double[] v = grades(50);
    BootstrapMean.Interval ci = BootstrapMean.ci(v, 0.95, 10_000, 7);
    assertEquals(50, ci.n());
    assertEquals(Arrays.stream(v).average().orElseThrow(), ci.mean(), 1e-12);
    assertTrue(ci.lower() < ci.mean() && ci.mean() < ci.upper(), ci.toString());
  }

  @Test
  void intervalNarrowsRoughlyAsOneOverRootN() {
    BootstrapMean.Interval small = BootstrapMean.ci(grades(50), 0.95, 10_000, 1);
    BootstrapMean.Interval large = BootstrapMean.ci(grades(800), 0.95, 10_000, 1);
    double ratio = (small.upper() - small.lower()) / (large.upper() - large.lower());
    // sqrt(800 / 50) = 4; Monte Carlo and grade discreteness leave some slack.
    assertTrue(ratio > 3.2 && ratio < 4.8, "width ratio " + ratio);
    // The normal-theory half-width for n = 800 is 1.96 * sd / sqrt(n); the percentile one is close.
    double[] v = grades(800);
    double mean = Arrays.stream(v).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
    assertEquals(2 * 1.959964 * sd / Math.sqrt(v.length), large.upper() - large.lower(), 0.03);
  }

  @Test
  void sameSeedSameIntervalWhateverTheInputOrder() {
    double[] v = grades(120);
    double[] reversed = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      reversed[i] = v[v.length - 1 - i];
    }
    assertEquals(BootstrapMean.ci(v, 0.9, 10_000, 42), BootstrapMean.ci(reversed, 0.9, 10_000, 42));
    // Continuous values, so two seeds practically never give the same bounds.
    double[] c = new double[120];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.sin(i * 1.7) * 10;
    }
    BootstrapMean.Interval a = BootstrapMean.ci(c, 0.95, 10_000, 1);
    BootstrapMean.Interval b = BootstrapMean.ci(c, 0.95, 10_000, 2);
    assertTrue(a.lower() != b.lower() || a.upper() != b.upper(), a + " " + b);
  }

  @Test
  void matchesTheExactBootstrapDistributionOfASmallSample() {
    // All 5^5 = 3125 equally likely resamples of five values give the exact bootstrap distribution
    // of the mean; its 2.5% and 97.5% quantiles (smallest mean whose CDF reaches q) are what the
    // Monte Carlo percentile interval estimates.
    double[] v = {0, 1, 3, 7, 15};
    int n = v.length;
    TreeMap<Double, Integer> counts = new TreeMap<>();
    int total = 1;
    for (int i = 0; i < n; i++) {
      total *= n;
    }
    for (int code = 0; code < total; code++) {
      double s = 0;
      for (int i = 0, c = code; i < n; i++, c /= n) {
        s += v[c % n];
      }
      counts.merge(s / n, 1, Integer::sum);
    }
    double[] exact = new double[2];
    double[] qs = {0.025, 0.975};
    for (int k = 0; k < 2; k++) {
      int cum = 0;
      for (var e : counts.entrySet()) {
        double before = (double) cum / total;
        cum += e.getValue();
        double after = (double) cum / total;
        if (after >= qs[k]) {
          exact[k] = e.getKey();
          // The CDF steps clear of q on both sides, so a large Monte Carlo lands on the same mean.
          assertTrue(after - qs[k] > 0.002 && qs[k] - before > 0.002, "q=" + qs[k] + " too close to a step");
          break;
        }
      }
    }
    BootstrapMean.Interval ci = BootstrapMean.ci(v, 0.95, 400_000, 3);
    assertEquals(exact[0], ci.lower(), 1e-12);
    assertEquals(exact[1], ci.upper(), 1e-12);
  }

  @Test
  void emptyAndConstantSamples() {
    BootstrapMean.Interval empty = BootstrapMean.ci(new double[0], 0.95, 10_000, 1);
    assertEquals(0, empty.n());
    assertTrue(Double.isNaN(empty.mean()) && Double.isNaN(empty.lower()));
    BootstrapMean.Interval constant = BootstrapMean.ci(new double[] {4, 4, 4}, 0.95, 10_000, 1);
    assertEquals(new BootstrapMean.Interval(3, 4, 4, 4), constant);
  }
}
