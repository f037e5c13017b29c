package dev.cltbench.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Per-judge bias diagnostics on graded units (one response, graded by one or more judges), each with
 * a percentile interval from a bootstrap over questions (the cluster every model shares):
 * <ul>
 *   <li>leniency: the judge's score minus the mean of the other judges' scores on the same unit;
 *   <li>length bias: the correlation of the judge's score with the answer's length within question
 *       (both centred on the question's mean, so a hard question's long answers do not count);
 *   <li>self-preference: leniency on the units of the models related to the judge (same provider or
 *       family) minus leniency on the other models' units.
 * </ul>
 * Hand-written: the statistics are short sums, and no maintained library has a cluster bootstrap.
 */
public final class JudgeDiagnostics {
  private JudgeDiagnostics() {}

  /** One graded response: its question, whether it is the judge's own kind, its length, the scores. */
  public record Unit(int question, String model, double length, Map<String, Double> scores) {}

  public record Estimate(double value, double lower, double upper) {
    static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN);
  }

  public record Result(String judge, long units, Estimate leniency, Estimate lengthBias,
      long relatedUnits, Estimate selfPreference) {}

  /**
   * @param related the graded models that share a provider or family with {@code judge}
   */
  public static Result of(String judge, List<Unit> units, java.util.Set<String> related,
      double confidence, int resamples, long seed) {
    // Per question: sums for each statistic, so a resample only adds up questions.
    TreeMap<Integer, double[]> q = new TreeMap<>();
    TreeMap<Integer, List<Unit>> byQuestion = new TreeMap<>();
    long n = 0;
    long relatedUnits = 0;
    for (Unit u : units) {
      if (u.scores().containsKey(judge)) {
        byQuestion.computeIfAbsent(u.question(), k -> new ArrayList<>()).add(u);
      }
    }
    for (Map.Entry<Integer, List<Unit>> e : byQuestion.entrySet()) {
      double[] s = new double[STATS];
      double meanScore = 0;
      double meanLength = 0;
      for (Unit u : e.getValue()) {
        meanScore += u.scores().get(judge);
        meanLength += u.length();
      }
      meanScore /= e.getValue().size();
      meanLength /= e.getValue().size();
      for (Unit u : e.getValue()) {
        n++;
        double x = u.scores().get(judge) - meanScore;
        double y = u.length() - meanLength;
        s[0] += x * y;
        s[1] += x * x;
        s[2] += y * y;
        double others = 0;
        int k = 0;
        for (Map.Entry<String, Double> o : u.scores().entrySet()) {
          if (!o.getKey().equals(judge)) {
            others += o.getValue();
            k++;
          }
        }
        if (k > 0) {
          double d = u.scores().get(judge) - others / k;
          s[3] += d;
          s[4] += 1;
          boolean own = related.contains(u.model());
          s[own ? 5 : 7] += d;
          s[own ? 6 : 8] += 1;
          relatedUnits += own ? 1 : 0;
        }
      }
      q.put(e.getKey(), s);
    }
    if (q.isEmpty()) {
      return new Result(judge, 0, Estimate.NONE, Estimate.NONE, 0, Estimate.NONE);
    }
    // Question i's sums at [9 i, 9 i + 9): one array, read in order by every resample.
    int m = q.size();
    double[] clusters = new double[m * STATS];
    int at = 0;
    for (double[] c : q.values()) {
      System.arraycopy(c, 0, clusters, at, STATS);
      at += STATS;
    }
    double[] full = sum(clusters, null);
    double[][] boot = new double[3][resamples];
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    int[] pick = new int[m];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < m; i++) {
        pick[i] = rng.nextInt(m);
      }
      double[] s = sum(clusters, pick);
      boot[0][b] = leniency(s);
      boot[1][b] = correlation(s);
      boot[2][b] = selfPreference(s);
    }
    return new Result(judge, n, estimate(leniency(full), boot[0], confidence),
        estimate(correlation(full), boot[1], confidence), relatedUnits,
        related.isEmpty() ? Estimate.NONE : estimate(selfPreference(full), boot[2], confidence));
  }

  /** Sums kept per question (see {@link #of}). */
  private static final int STATS = 9;

  private static double[] sum(double[] clusters, int[] pick) {
    double[] s = new double[STATS];
    int count = pick == null ? clusters.length / STATS : pick.length;
    for (int i = 0; i < count; i++) {
      int from = (pick == null ? i : pick[i]) * STATS;
      for (int j = 0; j < STATS; j++) {
        s[j] += clusters[from + j];
      }
    }
    return s;
  }

  private static double leniency(double[] s) {
    return s[4] == 0 ? Double.NaN : s[3] / s[4];
  }

  private static double correlation(double[] s) {
    return s[1] == 0 || s[2] == 0 ? Double.NaN : s[0] / Math.sqrt(s[1] * s[2]);
  }

  private static double selfPreference(double[] s) {
    return s[6] == 0 || s[8] == 0 ? Double.NaN : s[5] / s[6] - s[7] / s[8];
  }

  private static Estimate estimate(double value, double[] boot, double confidence) {
    if (Double.isNaN(value)) {
      return Estimate.NONE;
    }
    double[] finite = java.util.Arrays.stream(boot).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (finite.length == 0) {
      return new Estimate(value, Double.NaN, Double.NaN);
    }
    double tail = (1 - confidence) / 2;
    return new Estimate(value, BootstrapMean.quantile(finite, tail), BootstrapMean.quantile(finite, 1 - tail));
  }
}
