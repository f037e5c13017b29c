package dev.cltbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.stats.PairedComparison.Test;
import java.util.Arrays;

class PairedComparisonTest {
  /** Two-sided exact Wilcoxon p by enumerating all 2^n sign assignments of the ranks 1..n. */
  static double exactWilcoxon(double[] d) {
    int n = d.length;
    double[] abs = Arrays.stream(d).map(Math::abs).sorted().toArray();
    double wPlus = 0;
    for (double x : d) {
      if (x > 0) {
        wPlus += Arrays.binarySearch(abs, Math.abs(x)) + 1; // no ties: rank = position + 1
      }
    }
    long le = 0;
    long ge = 0;
    for (long m = 0; m < 1L << n; m++) {
      int w = 0;
      for (int r = 1; r <= n; r++) {
        if ((m >>> (r - 1) & 1) == 1) {
          w += r;
        }
      }
      le += w <= wPlus ? 1 : 0;
      ge += w >= wPlus ? 1 : 0;
    }
    return Math.min(1, 2.0 * Math.min(le, ge) / (1L << n));
  }

  /** Two-sided sign-flip p by enumerating all 2^n sign vectors (zeros flip to themselves). */
  static double bruteSignFlip(double[] d) {
    double observed = Math.abs(Arrays.stream(d).sum());
    long hits = 0;
    for (long m = 0; m < 1L << d.length; m++) {
      double s = 0;
      for (int i = 0; i < d.length; i++) {
        s += (m >>> i & 1) == 1 ? -Math.abs(d[i]) : Math.abs(d[i]);
      }
      hits += Math.abs(s) >= observed - 1e-9 ? 1 : 0;
    }
    return (double) hits / (1L << d.length);
  }

  @org.junit.jupiter.api.Test
  void wilcoxonMatchesExactEnumerationWithoutTies() {
    double[][] samples = {
        {1.5, -0.7, 2.3, 3.1, -4.2, 0.4, 5.9, 6.6, -2.8, 7.7},
        {-1.1, -2.2, 0.3, -3.3, -4.4, 5.5, -6.6, -7.7, 0.9, -10.1, 12.5, -13.0},
        {2, 4, 8, 16, 32, 64, -1}};
    for (double[] d : samples) {
      PairedComparison.Result r = PairedComparison.compare(d, 0.95, 10_000, 5, Test.WILCOXON);
      assertEquals(exactWilcoxon(d), r.pValue(), 1e-12, Arrays.toString(d));
      assertEquals(Test.WILCOXON, r.test());
    }
  }

  @org.junit.jupiter.api.Test
  void wilcoxonDropsZeroDifferences() {
    double[] d = {1.5, -0.7, 2.3, 3.1, -4.2, 0.4, 5.9, 6.6, -2.8, 7.7};
    double[] withZeros = Arrays.copyOf(d, 14); // four zeros appended
    assertEquals(exactWilcoxon(d),
        PairedComparison.compare(withZeros, 0.95, 10_000, 5, Test.WILCOXON).pValue(), 1e-12);
  }

  @org.junit.jupiter.api.Test
  void signFlipIsExactForIntegerDifferencesWithZerosAndTies() {
    double[] d = {2, -1, 0, 3, 3, 1, 0, -2, 4, 1, 1, 0, 5, -1, 2, 6};
    PairedComparison.Result r = PairedComparison.compare(d, 0.95, 10_000, 5, Test.SIGN_FLIP);
    assertEquals(bruteSignFlip(d), r.pValue(), 1e-12);
    assertEquals(16, r.n());
    assertEquals(Arrays.stream(d).average().orElseThrow(), r.meanDifference(), 1e-12);
    assertTrue(r.ciLower() <= r.meanDifference() && r.meanDifference() <= r.ciUpper(), r.toString());
  }

  @org.junit.jupiter.api.Test
  void signFlipConvolutionMatchesEnumerationOverManyStepSizes() {
    // 20 integer differences from 1 to 97 with repeats: each convolution step reaches further than the
    // last, so a buffer left with an earlier step's sums would show in the tail.
    for (long seed = 1; seed <= 3; seed++) {
      java.util.Random r = new java.util.Random(seed);
      double[] d = new double[20];
      for (int i = 0; i < d.length; i++) {
        d[i] = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(i < 10 ? 5 : 97));
      }
      assertEquals(bruteSignFlip(d), PairedComparison.compare(d, 0.95, 10_000, 5, Test.SIGN_FLIP).pValue(), 1e-12,
          Arrays.toString(d));
    }
  }

  @org.junit.jupiter.api.Test
  void signFlipIsExactForFewNonIntegerDifferences() {
    double[] d = {0.35, -1.2, 2.05, 0.8, 1.1, -0.3, 0, 2.6, 0.45, -0.95, 1.7, 0.15};
    assertEquals(bruteSignFlip(d), PairedComparison.compare(d, 0.95, 10_000, 5, Test.SIGN_FLIP).pValue(), 1e-12);
  }

  @org.junit.jupiter.api.Test
  void signFlipMonteCarloAgreesWithTheExactValueAndIsSeeded() {
    // 60 differences scaled by pi: non-integer and too many to enumerate, so Monte Carlo; the p-value
    // is scale-free, so the exact convolution on the unscaled integers is the reference.
    double[] ints = new double[60];
    double[] scaled = new double[60];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = (i * 7 % 11) - 4;
      scaled[i] = ints[i] * Math.PI;
    }
    double exact = PairedComparison.compare(ints, 0.95, 10_000, 1, Test.SIGN_FLIP).pValue();
    assertTrue(exact > 0.01 && exact < 0.99, "reference p " + exact);
    int b = 20_000;
    double mc = PairedComparison.compare(scaled, 0.95, b, 1, Test.SIGN_FLIP).pValue();
    assertEquals(exact, mc, 4 * Math.sqrt(exact * (1 - exact) / b) + 1.0 / b);
    assertEquals(mc, PairedComparison.compare(scaled, 0.95, b, 1, Test.SIGN_FLIP).pValue());
    // The +1 correction: a p-value from Monte Carlo is never 0, even when nothing is as extreme.
    double[] allPositive = new double[40];
    Arrays.fill(allPositive, Math.E);
    assertEquals(1.0 / (b + 1), PairedComparison.compare(allPositive, 0.95, b, 1, Test.SIGN_FLIP).pValue(), 1e-15);
  }

  @org.junit.jupiter.api.Test
  void histogramOverloadReportsInTheGivenUnits() {
    DiffHistogram h = new DiffHistogram();
    int[] diffs = {1, 0, -2, 3, 1, 1, 0, 2};
    for (int x : diffs) {
      h.add(x);
    }
    double scale = 100.0 / 6;
    PairedComparison.Result pp = PairedComparison.compare(h, scale, 0.95, 10_000, 9, Test.SIGN_FLIP);
    PairedComparison.Result raw = PairedComparison.compare(h.sortedDiffs(), 0.95, 10_000, 9, Test.SIGN_FLIP);
    assertEquals(6.0 / 8 * scale, pp.meanDifference(), 1e-12);
    assertEquals(raw.ciLower() * scale, pp.ciLower(), 1e-12);
    assertEquals(raw.ciUpper() * scale, pp.ciUpper(), 1e-12);
    assertEquals(raw.pValue(), pp.pValue());
    double[] asDouble = Arrays.stream(diffs).asDoubleStream().toArray();
    assertEquals(bruteSignFlip(asDouble), pp.pValue(), 1e-12);
  }

  @org.junit.jupiter.api.Test
  void noDifferencesGiveOneAndNoPairsGiveNaN() {
    double[] zeros = new double[10];
    assertEquals(1.0, PairedComparison.compare(zeros, 0.95, 10_000, 1, Test.WILCOXON).pValue());
    assertEquals(1.0, PairedComparison.compare(zeros, 0.95, 10_000, 1, Test.SIGN_FLIP).pValue());
    assertTrue(Double.isNaN(PairedComparison.compare(new double[0], 0.95, 10_000, 1, Test.WILCOXON).pValue()));
    assertEquals(Test.SIGN_FLIP, Test.parse("sign-flip"));
    assertThrows(IllegalArgumentException.class, () -> Test.parse("t-test"));
  }
}
