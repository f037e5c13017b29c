package dev.cltbench.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/** TEMPORARY stand-in until the stats branch lands. */
public final class BootstrapMean {
  private BootstrapMean() {}

  public record Interval(double lower, double upper) {}

  public static Interval percentileInterval(double[] values, double confidence, int resamples, long seed) {
    if (values.length == 0) {
      return new Interval(Double.NaN, Double.NaN);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double s = 0;
      for (int i = 0; i < values.length; i++) {
        s += values[rng.nextInt(values.length)];
      }
      means[b] = s / values.length;
    }
    Arrays.sort(means);
    double a = (1 - confidence) / 2;
    return new Interval(means[(int) Math.floor(a * (resamples - 1))],
        means[(int) Math.ceil((1 - a) * (resamples - 1))]);
  }
}
