package dev.cltbench.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.dkpro.statistics.agreement.coding.CodingAnnotationStudy;
import org.dkpro.statistics.agreement.coding.KrippendorffAlphaAgreement;
import org.dkpro.statistics.agreement.coding.WeightedKappaAgreement;
import org.dkpro.statistics.agreement.distance.IDistanceFunction;
import org.dkpro.statistics.agreement.distance.IntervalDistanceFunction;
import org.dkpro.statistics.agreement.distance.NominalDistanceFunction;
import org.dkpro.statistics.agreement.distance.OrdinalDistanceFunction;

/** Inter-judge agreement, computed with DKPro Statistics (dkpro-statistics-agreement). */
public final class Agreement {
  private Agreement() {}

  public enum Metric { NOMINAL, ORDINAL, INTERVAL }

  /**
   * Cohen's kappa with quadratic weights (i - j)^2 / (max - min)^2 for two raters' grades in
   * [min, max], one pair per item. NaN when chance disagreement is zero (both raters constant).
   */
  public static double quadraticWeightedKappa(int[] a, int[] b, int min, int max) {
    if (a.length != b.length || a.length == 0 || max <= min) {
      throw new IllegalArgumentException("need two equally long, non-empty ratings and min < max");
    }
    CodingAnnotationStudy study = new CodingAnnotationStudy(2);
    for (int i = 0; i < a.length; i++) {
      if (a[i] < min || a[i] > max || b[i] < min || b[i] > max) {
        throw new IllegalArgumentException("item " + i + " has a grade outside [" + min + ", " + max + "]");
      }
      study.addItem(a[i], b[i]);
    }
    // Weights scaled to [0, 1]: DKPro normalises observed and expected disagreement each by the largest
    // distance it meets (at least 1), which differ when no item shows the largest possible distance;
    // with distances <= 1 both divide by 1 and the ratio is Cohen's.
    if (Arrays.stream(a).distinct().count() == 1 && Arrays.equals(a, b)) {
      return Double.NaN; // both raters gave one and the same grade: chance disagreement is zero
    }
    double range = max - min;
    IDistanceFunction quadratic = (s, c1, c2) -> {
      double d = ((Integer) c1 - (Integer) c2) / range;
      return d * d;
    };
    return new WeightedKappaAgreement(study, quadratic).calculateAgreement();
  }

  /**
   * Krippendorff's alpha for {@code ratings[coder][unit]} with NaN for a missing rating. Units with
   * fewer than two ratings are left out (they hold no pairable values), as Krippendorff prescribes.
   * ORDINAL uses only the order of the values (they are replaced by their ranks). NaN when the
   * pairable values hold fewer than two distinct values (no variation to be reliable about).
   */
  public static double krippendorffAlpha(double[][] ratings, Metric metric) {
    int coders = ratings.length;
    if (coders < 2) {
      throw new IllegalArgumentException("need at least two coders");
    }
    int units = ratings[0].length;
    TreeSet<Double> values = new TreeSet<>();
    for (double[] row : ratings) {
      if (row.length != units) {
        throw new IllegalArgumentException("every coder needs a (possibly NaN) rating per unit");
      }
      for (double v : row) {
        if (!Double.isNaN(v)) {
          values.add(v + 0.0); // + 0.0 turns -0.0 into 0.0: one value, not two
        }
      }
    }
    List<Double> ranks = new ArrayList<>(values);
    CodingAnnotationStudy study = new CodingAnnotationStudy(coders);
    TreeSet<Double> pairable = new TreeSet<>();
    for (int u = 0; u < units; u++) {
      Object[] item = new Object[coders];
      int present = 0;
      for (int c = 0; c < coders; c++) {
        double v = ratings[c][u] + 0.0;
        if (!Double.isNaN(v)) {
          present++;
          // DKPro's ordinal distance needs Integer categories; ranks keep the order it depends on.
          item[c] = metric == Metric.ORDINAL ? (Object) ranks.indexOf(v) : (Object) v;
        }
      }
      if (present >= 2) {
        study.addItemAsArray(item);
        for (int c = 0; c < coders; c++) {
          if (!Double.isNaN(ratings[c][u])) {
            pairable.add(ratings[c][u] + 0.0);
          }
        }
      }
    }
    if (pairable.size() < 2) {
      return Double.NaN; // DKPro would throw; callers show an undefined alpha as empty
    }
    IDistanceFunction distance = switch (metric) {
      case NOMINAL -> new NominalDistanceFunction();
      case ORDINAL -> new OrdinalDistanceFunction();
      case INTERVAL -> new IntervalDistanceFunction();
    };
    return new KrippendorffAlphaAgreement(study, distance).calculateAgreement();
  }

  /**
   * {@link #quadraticWeightedKappa(int[], int[], int, int)} from the two raters' confusion matrix
   * ({@code confusion[i][j]}: items graded min + i by the first and min + j by the second), so that a
   * pipeline can add matrices up instead of keeping every item: DKPro's study needs each item in
   * memory. Hand-written from the definition (1 - sum(w O) / sum(w E), w = (i - j)^2); the tests hold it
   * equal to the DKPro computation.
   */
  public static double quadraticWeightedKappa(long[][] confusion) {
    int k = confusion.length;
    double[] rows = new double[k];
    double[] cols = new double[k];
    double n = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        rows[i] += confusion[i][j];
        cols[j] += confusion[i][j];
        n += confusion[i][j];
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("need at least one item");
    }
    double observed = 0;
    double expected = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double w = (double) (i - j) * (i - j);
        observed += w * confusion[i][j];
        expected += w * rows[i] * cols[j] / n;
      }
    }
    return expected == 0 ? Double.NaN : 1 - observed / expected;
  }

  /**
   * {@link #krippendorffAlpha(double[][], Metric)} from distinct units with their multiplicities:
   * {@code patterns.get(u)[coder]} (NaN for missing) occurs {@code counts.get(u)} times. Computed from
   * the coincidence matrix (Krippendorff 2011, section C) so that the units need not be kept: a
   * pipeline counts patterns, which are bounded by the grade scale and the number of judges.
   * Hand-written from the definition; the tests hold it equal to the DKPro computation.
   */
  public static double krippendorffAlpha(List<double[]> patterns, List<Long> counts, Metric metric) {
    if (patterns.size() != counts.size()) {
      throw new IllegalArgumentException("one count per pattern");
    }
    TreeSet<Double> pairable = new TreeSet<>();
    for (double[] p : patterns) {
      if (present(p) >= 2) {
        for (double v : p) {
          if (!Double.isNaN(v)) {
            pairable.add(v + 0.0);
          }
        }
      }
    }
    if (pairable.size() < 2) {
      return Double.NaN;
    }
    List<Double> values = new ArrayList<>(pairable);
    int k = values.size();
    double[][] coincidence = new double[k][k];
    for (int u = 0; u < patterns.size(); u++) {
      double[] p = patterns.get(u);
      int m = present(p);
      if (m < 2) {
        continue;
      }
      double weight = counts.get(u) / (double) (m - 1);
      for (int a = 0; a < p.length; a++) {
        for (int b = 0; b < p.length; b++) {
          if (a != b && !Double.isNaN(p[a]) && !Double.isNaN(p[b])) {
            coincidence[values.indexOf(p[a] + 0.0)][values.indexOf(p[b] + 0.0)] += weight;
          }
        }
      }
    }
    double[] marginal = new double[k];
    double n = 0;
    for (int c = 0; c < k; c++) {
      for (int d = 0; d < k; d++) {
        marginal[c] += coincidence[c][d];
      }
      n += marginal[c];
    }
    double observed = 0;
    double expected = 0;
    for (int c = 0; c < k; c++) {
      for (int d = 0; d < k; d++) {
        double delta = distance(metric, values, marginal, c, d);
        observed += coincidence[c][d] * delta;
        expected += marginal[c] * marginal[d] * delta;
      }
    }
    return 1 - (n - 1) * observed / expected;
  }

  private static int present(double[] pattern) {
    int m = 0;
    for (double v : pattern) {
      m += Double.isNaN(v) ? 0 : 1;
    }
    return m;
  }

  /** Krippendorff's squared difference functions; ordinal from the marginals of the ranks between. */
  private static double distance(Metric metric, List<Double> values, double[] marginal, int c, int d) {
    if (c == d) {
      return 0;
    }
    switch (metric) {
      case NOMINAL:
        return 1;
      case INTERVAL:
        double diff = values.get(c) - values.get(d);
        return diff * diff;
      default:
        int lo = Math.min(c, d);
        int hi = Math.max(c, d);
        double between = 0;
        for (int g = lo; g <= hi; g++) {
          between += marginal[g];
        }
        between -= (marginal[lo] + marginal[hi]) / 2;
        return between * between;
    }
  }
}
