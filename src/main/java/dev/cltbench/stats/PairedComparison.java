package dev.cltbench.stats;

/** TEMPORARY stand-in until the stats branch lands. */
public final class PairedComparison {
  private PairedComparison() {}

  public record Result(double meanDifference, double ciLower, double ciUpper, double pValue) {}

  public static Result compare(double[] diffs, double confidence, int resamples, long seed) {
    double mean = 0;
    for (double d : diffs) {
      mean += d;
    }
    mean /= Math.max(1, diffs.length);
    BootstrapMean.Interval ci = BootstrapMean.percentileInterval(diffs, confidence, resamples, seed);
    return new Result(mean, ci.lower(), ci.upper(), 0.5);
  }
}
