package dev.cltbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgreementTest {
  static final double NA = Double.NaN;

  /**
   * Reliability data of Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C:
   * 4 observers x 12 units, values 1..5, missing entries; unit 12 has a single (unpairable) value.
   */
  static final double[][] KRIPPENDORFF_2011 = {
      {1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA},
      {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3},
      {NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA},
      {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA}};

  @Test
  void krippendorffAlphaReproducesThePublishedExample() {
    // Published values, rounded to three decimals in the paper.
    assertEquals(0.743, Agreement.krippendorffAlpha(KRIPPENDORFF_2011, Agreement.Metric.NOMINAL), 5e-4);
    assertEquals(0.815, Agreement.krippendorffAlpha(KRIPPENDORFF_2011, Agreement.Metric.ORDINAL), 5e-4);
    assertEquals(0.849, Agreement.krippendorffAlpha(KRIPPENDORFF_2011, Agreement.Metric.INTERVAL), 5e-4);
  }

  @Test
  void ordinalAlphaDependsOnlyOnTheOrderOfValues() {
    // A monotone relabelling (1..5 -> 10, 20, 35, 70, 100) leaves the ordinal metric unchanged.
    double[] map = {0, 10, 20, 35, 70, 100};
    double[][] relabelled = new double[4][12];
    for (int c = 0; c < 4; c++) {
      for (int u = 0; u < 12; u++) {
        double v = KRIPPENDORFF_2011[c][u];
        relabelled[c][u] = Double.isNaN(v) ? NA : map[(int) v];
      }
    }
    assertEquals(0.815, Agreement.krippendorffAlpha(relabelled, Agreement.Metric.ORDINAL), 5e-4);
  }

  @Test
  void quadraticKappaMatchesAHandComputedExample() {
    // a = 0 1 2 2, b = 0 2 2 1 on 0..2. Observed sum of (a_i - b_i)^2 = 2, mean 1/2. Chance: mean of
    // (a_i - b_j)^2 over all 16 pairs = (9 + 3 + 5 + 5) / 16 = 22/16. Weights share the factor 1/4,
    // which cancels: kappa = 1 - (1/2) / (22/16) = 1 - 4/11 = 7/11.
    assertEquals(7.0 / 11, Agreement.quadraticWeightedKappa(new int[] {0, 1, 2, 2}, new int[] {0, 2, 2, 1}, 0, 2), 1e-12);
  }

  @Test
  void quadraticKappaMatchesBruteForceWhenNoItemShowsTheLargestDistance() {
    // No pair differs by 2 here, the case where unscaled distances would normalise observed and
    // expected disagreement differently. Brute force: kappa = 1 - mean (a_i-b_i)^2 / mean (a_i-b_j)^2.
    int[] a = {0, 0, 1, 1, 2, 2, 1, 0, 2, 1};
    int[] b = {0, 1, 1, 2, 2, 1, 1, 0, 2, 0};
    double obs = 0;
    double exp = 0;
    for (int i = 0; i < a.length; i++) {
      obs += (a[i] - b[i]) * (a[i] - b[i]);
      for (int j = 0; j < b.length; j++) {
        exp += (a[i] - b[j]) * (a[i] - b[j]);
      }
    }
    double expected = 1 - (obs / a.length) / (exp / (a.length * a.length));
    assertEquals(expected, Agreement.quadraticWeightedKappa(a, b, 0, 2), 1e-12);
    assertEquals(1.0, Agreement.quadraticWeightedKappa(a, a, 0, 2), 1e-12);
  }

  @Test
  void undefinedAgreementIsNaN() {
    // Both raters constant and equal: no chance disagreement, kappa 0/0.
    assertTrue(Double.isNaN(Agreement.quadraticWeightedKappa(new int[] {2, 2, 2}, new int[] {2, 2, 2}, 0, 2)));
    // Constant but different raters: observed = expected disagreement, kappa 0.
    assertEquals(0.0, Agreement.quadraticWeightedKappa(new int[] {1, 1, 1}, new int[] {2, 2, 2}, 0, 2), 1e-12);
    // One value among pairable units (the 0 in unit 3 has no partner), or no pairable unit at all.
    assertTrue(Double.isNaN(Agreement.krippendorffAlpha(
        new double[][] {{1, 1, 0}, {1, 1, NA}}, Agreement.Metric.ORDINAL)));
    assertTrue(Double.isNaN(Agreement.krippendorffAlpha(
        new double[][] {{1, NA}, {NA, 2}}, Agreement.Metric.INTERVAL)));
  }

  @Test
  void kappaRejectsGradesOutsideTheScale() {
    assertThrows(IllegalArgumentException.class,
        () -> Agreement.quadraticWeightedKappa(new int[] {0, 3}, new int[] {0, 1}, 0, 2));
  }

  /** The count-based forms against DKPro on random grades with missing values and repeated units. */
  @Test
  void countBasedFormsEqualDkpro() {
    java.util.Random rnd = new java.util.Random(7);
    for (int trial = 0; trial < 40; trial++) {
      int units = 5 + rnd.nextInt(60);
      int max = 1 + rnd.nextInt(6);
      int[] a = new int[units];
      int[] b = new int[units];
      long[][] confusion = new long[max + 1][max + 1];
      for (int u = 0; u < units; u++) {
        a[u] = rnd.nextInt(max + 1);
        b[u] = rnd.nextBoolean() ? a[u] : rnd.nextInt(max + 1);
        confusion[a[u]][b[u]]++;
      }
      double dk = Agreement.quadraticWeightedKappa(a, b, 0, max);
      double counted = Agreement.quadraticWeightedKappa(confusion);
      assertTrue(Double.isNaN(dk) ? Double.isNaN(counted) : Math.abs(dk - counted) < 1e-9, dk + " vs " + counted);

      int coders = 2 + rnd.nextInt(3);
      double[][] ratings = new double[coders][units];
      java.util.Map<java.util.List<Double>, Long> patterns = new java.util.LinkedHashMap<>();
      for (int u = 0; u < units; u++) {
        java.util.List<Double> p = new java.util.ArrayList<>();
        for (int c = 0; c < coders; c++) {
          ratings[c][u] = rnd.nextInt(5) == 0 ? NA : rnd.nextInt(max + 1);
          p.add(ratings[c][u]);
        }
        patterns.merge(p, 1L, Long::sum);
      }
      java.util.List<double[]> distinct = new java.util.ArrayList<>();
      patterns.keySet().forEach(p -> distinct.add(p.stream().mapToDouble(Double::doubleValue).toArray()));
      for (Agreement.Metric m : Agreement.Metric.values()) {
        double ref = Agreement.krippendorffAlpha(ratings, m);
        double got = Agreement.krippendorffAlpha(distinct, new java.util.ArrayList<>(patterns.values()), m);
        assertTrue(Double.isNaN(ref) ? Double.isNaN(got) : Math.abs(ref - got) < 1e-9,
            m + " trial " + trial + ": " + ref + " vs " + got);
      }
    }
    // And the published example, as distinct units with counts.
    java.util.List<double[]> units = new java.util.ArrayList<>();
    java.util.List<Long> ones = new java.util.ArrayList<>();
    for (int u = 0; u < KRIPPENDORFF_2011[0].length; u++) {
      double[] p = new double[KRIPPENDORFF_2011.length];
      for (int c = 0; c < p.length; c++) {
        p[c] = KRIPPENDORFF_2011[c][u];
      }
      units.add(p);
      ones.add(1L);
    }
    assertEquals(0.815, Agreement.krippendorffAlpha(units, ones, Agreement.Metric.ORDINAL), 5e-4);
  }
}
