package dev.cltbench.stats;

import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * What a paired comparison of this size can detect, from its observed variance and clustering: the
 * normal-approximation power calculation for a mean paired difference whose unit of replication is the
 * question (Miller 2024, "Adding Error Bars to Evals", section on power). With per-question mean
 * differences of standard deviation s over n questions, the standard error is s / sqrt(n); at level
 * alpha (two-sided) and power 1 - beta the minimum detectable effect is (z(1 - alpha/2) + z(1 - beta))
 * s / sqrt(n), and detecting an effect d needs n = ((z(1 - alpha/2) + z(1 - beta)) s / d)^2 questions.
 */
public final class PowerAnalysis {
  private PowerAnalysis() {}

  /**
   * @param sdPair standard deviation of single paired differences
   * @param sdQuestion standard deviation of the per-question mean differences
   * @param designEffect variance of the per-question means over what independent pairs would give
   *     (sdQuestion^2 / (sdPair^2 / mean pairs per question)); 1 for one pair per question
   */
  public record Result(long questions, long pairs, double sdPair, double sdQuestion,
      double designEffect, double alpha, double power, double mde) {

    /** Questions needed to detect {@code effect} (same units as the standard deviations), at least 2. */
    public long questionsFor(double effect) {
      return questionsNeeded(sdQuestion, effect, alpha, power);
    }
  }

  /** z(1 - alpha/2) + z(power). */
  public static double zSum(double alpha, double power) {
    NormalDistribution z = NormalDistribution.of(0, 1);
    return z.inverseCumulativeProbability(1 - alpha / 2) + z.inverseCumulativeProbability(power);
  }

  public static long questionsNeeded(double sdQuestion, double effect, double alpha, double power) {
    if (Double.isNaN(sdQuestion)) {
      return -1;
    }
    double n = Math.pow(zSum(alpha, power) * sdQuestion / effect, 2);
    // The tiny tolerance keeps an n that is an integer up to rounding from being pushed to the next one.
    return Math.max(2, (long) Math.ceil(n - 1e-9));
  }

  public static double mde(double sdQuestion, long questions, double alpha, double power) {
    return zSum(alpha, power) * sdQuestion / Math.sqrt(questions);
  }

  /** From integer differences clustered by question, reported in units of {@code scale}. */
  public static Result of(ClusterHistogram clusters, double scale, double alpha, double power) {
    List<ClusterHistogram.Cluster> all = clusters.expanded();
    long n = all.size();
    long pairs = 0;
    double sum = 0;
    double sumSquares = 0;
    double meanSum = 0;
    for (ClusterHistogram.Cluster c : all) {
      pairs += c.size();
      sum += c.sum();
      sumSquares += c.sumSquares();
      meanSum += (double) c.sum() / c.size();
    }
    double sdPair = pairs < 2 ? Double.NaN
        : Math.sqrt(Math.max(0, (sumSquares - sum * sum / pairs) / (pairs - 1))) * scale;
    double qMean = meanSum / n;
    double ss = 0;
    for (ClusterHistogram.Cluster c : all) {
      double d = (double) c.sum() / c.size() - qMean;
      ss += d * d;
    }
    double sdQuestion = n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1)) * scale;
    double perQuestion = (double) pairs / n;
    double designEffect = sdPair > 0 ? sdQuestion * sdQuestion / (sdPair * sdPair / perQuestion)
        : Double.NaN;
    double mde = n < 2 ? Double.NaN : mde(sdQuestion, n, alpha, power);
    return new Result(n, pairs, sdPair, sdQuestion, designEffect, alpha, power, mde);
  }
}
