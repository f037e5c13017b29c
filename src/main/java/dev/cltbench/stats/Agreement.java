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
}
