package dev.cltbench.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm–Bonferroni step-down adjustment. Hand-written: commons-statistics-inference 1.1 has no
 * multiple-comparison adjustment, and the procedure is a sort and a running maximum.
 */
public final class Holm {
  private Holm() {}

  /**
   * Adjusted p-values in input order: the i-th smallest p (1-based) becomes
   * max over j <= i of min(1, (m - j + 1) p_(j)), so adjusted values keep the order of the raw ones.
   */
  public static double[] adjust(double[] p) {
    int m = p.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException("p-value " + i + " is not in [0, 1]: " + p[i]);
      }
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
    double[] adjusted = new double[m];
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      int i = order[rank];
      running = Math.max(running, Math.min(1, (m - rank) * p[i]));
      adjusted[i] = running;
    }
    return adjusted;
  }
}
