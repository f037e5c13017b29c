package dev.cltbench.stats;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;

/**
 * Paired comparison of treatment and control through their differences: mean difference, a percentile
 * bootstrap CI of it ({@link BootstrapMean}) and a two-sided p-value for "no difference".
 */
public final class PairedComparison {
  private PairedComparison() {}

  public enum Test {
    /**
     * commons-statistics-inference {@link WilcoxonSignedRankTest}, two-sided, library defaults, on the
     * non-zero differences only (Wilcoxon's convention for zeros, as R's wilcox.test). The library has
     * no zero option: given zeros it ranks them with the rest (Pratt) but then also counts their tie
     * group in the variance's tie correction, which shrinks the variance; with many zeros (267 of 400
     * pairs for C3 vs C2 in the published study) p comes out too small (0.473 where the exact
     * permutation p of that statistic is 0.498). Without zeros it uses the exact distribution when
     * there are no ties and n is small, else the normal approximation with tie and continuity
     * corrections.
     */
    WILCOXON,
    /**
     * Sign-flip permutation test of the mean difference (two-sided, |sum| as statistic). Exact when
     * feasible: by convolution of the sign distribution when all differences are integers, by
     * enumeration of all 2^m sign assignments when m <= 20 differences are non-zero; otherwise
     * seeded Monte Carlo with the +1 correction, (1 + hits) / (1 + resamples).
     */
    SIGN_FLIP;

    /** Parses the pipeline file's name for a test: "wilcoxon" or "sign-flip". */
    public static Test parse(String name) {
      return switch (name) {
        case "wilcoxon" -> WILCOXON;
        case "sign-flip" -> SIGN_FLIP;
        default -> throw new IllegalArgumentException(
            "unknown test " + name + " (known: wilcoxon, sign-flip)");
      };
    }
  }

  public record Result(long n, double meanDifference, double ciLower, double ciUpper, double pValue,
      Test test) {}

  /** Bounds on sum |d| and on (non-zero pairs x sum |d|) for the exact convolution's array and work. */
  private static final long CONVOLUTION_BOUND = 100_000;
  private static final long CONVOLUTION_WORK = 100_000_000;
  private static final int ENUMERATION_MAX = 20;

  public static Result compare(double[] diffs, double confidence, int resamples, long seed, Test test) {
    BootstrapMean.Interval ci = BootstrapMean.ci(diffs, confidence, resamples, seed);
    double p = diffs.length == 0 ? Double.NaN : switch (test) {
      case WILCOXON -> wilcoxon(diffs);
      // An independent stream for the permutation test, so its draws do not overlap the bootstrap's.
      case SIGN_FLIP -> signFlip(diffs, resamples, Seeds.forScope(seed, "sign-flip"));
    };
    return new Result(ci.n(), ci.mean(), ci.lower(), ci.upper(), p, test);
  }

  /**
   * The same comparison on a histogram of integer differences, reported in units of {@code scale}
   * (e.g. percentage points per rubric point). The test runs on the integers, so the sign-flip test is
   * exact; p-values do not depend on the scale.
   */
  public static Result compare(DiffHistogram diffs, double scale, double confidence, int resamples,
      long seed, Test test) {
    Result r = compare(diffs.sortedDiffs(), confidence, resamples, seed, test);
    return new Result(r.n(), r.meanDifference() * scale, r.ciLower() * scale, r.ciUpper() * scale,
        r.pValue(), test);
  }

  /**
   * The comparison clustered by question: the interval is the cluster bootstrap of the pooled mean
   * ({@link ClusterBootstrap}); the sign-flip test flips the sign of each question's summed
   * difference (every model's difference on a question moves together under the null of no effect
   * for that question), and Wilcoxon ranks the per-question mean differences. With one pair per
   * question both are the ordinary paired tests. Reported in units of {@code scale}.
   */
  public static Result compare(ClusterHistogram clusters, double scale, double confidence,
      int resamples, long seed, Test test) {
    ClusterBootstrap.Interval ci = ClusterBootstrap.ci(clusters, confidence, resamples, seed);
    java.util.List<ClusterHistogram.Cluster> all = clusters.expanded();
    double[] perQuestion = new double[all.size()];
    for (int i = 0; i < perQuestion.length; i++) {
      ClusterHistogram.Cluster c = all.get(i);
      perQuestion[i] = test == Test.SIGN_FLIP ? c.sum() : (double) c.sum() / c.size();
    }
    double p = perQuestion.length == 0 ? Double.NaN : switch (test) {
      case WILCOXON -> wilcoxon(perQuestion);
      case SIGN_FLIP -> signFlip(perQuestion, resamples, Seeds.forScope(seed, "sign-flip"));
    };
    return new Result(ci.values(), ci.mean() * scale, ci.lower() * scale, ci.upper() * scale, p, test);
  }

  static double wilcoxon(double[] diffs) {
    double[] nonZero = Arrays.stream(diffs).filter(d -> d != 0).toArray();
    if (nonZero.length == 0) {
      return 1.0; // no evidence of any difference (and the library would divide by a zero variance)
    }
    return WilcoxonSignedRankTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED).test(nonZero)
        .getPValue();
  }

  /** Two-sided sign-flip p-value: P(|sum of s_i d_i| >= |sum of d_i|) over independent fair signs. */
  static double signFlip(double[] diffs, int resamples, long seed) {
    double[] abs = Arrays.stream(diffs).map(Math::abs).filter(a -> a > 0).sorted().toArray();
    if (abs.length == 0) {
      return 1.0;
    }
    double observed = Math.abs(BootstrapMean.sum(diffs));
    long total = 0;
    boolean integers = true;
    for (double a : abs) {
      integers &= a == Math.rint(a) && a < CONVOLUTION_BOUND;
      total += (long) a;
    }
    if (integers && total <= CONVOLUTION_BOUND && abs.length * total <= CONVOLUTION_WORK) {
      return exactByConvolution(abs, (long) Math.rint(observed), (int) total);
    }
    // Sums of doubles differ by rounding with summation order: count ties with the observed value.
    double tol = 1e-9 * Math.max(1, BootstrapMean.sum(abs));
    if (abs.length <= ENUMERATION_MAX) {
      long hits = 0;
      long masks = 1L << abs.length;
      for (long m = 0; m < masks; m++) {
        double s = 0;
        for (int i = 0; i < abs.length; i++) {
          s += (m >>> i & 1) == 0 ? abs[i] : -abs[i];
        }
        if (Math.abs(s) >= observed - tol) {
          hits++;
        }
      }
      return (double) hits / masks;
    }
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    long hits = 0;
    for (int b = 0; b < resamples; b++) {
      double s = 0;
      for (double a : abs) {
        s += rng.nextBoolean() ? a : -a;
      }
      if (Math.abs(s) >= observed - tol) {
        hits++;
      }
    }
    return (hits + 1.0) / (resamples + 1.0);
  }

  /**
   * Exact null distribution of sum s_i a_i for integer a_i by convolving one +-a_i step at a time
   * (probabilities, so 2^-m never needs to be formed; m of a few hundred stays far above underflow).
   */
  private static double exactByConvolution(double[] abs, long observed, int total) {
    double[] p = new double[2 * total + 1]; // index = sum + total
    // Two buffers in turn: a new array per step allocated m x (2 total + 1) doubles (10 GB for the
    // 24 tests of a 100x study, most of its garbage). Only the reachable sums are cleared and read.
    double[] next = new double[p.length];
    p[total] = 1;
    int reach = 0;
    for (double ad : abs) {
      int a = (int) ad;
      Arrays.fill(next, total - reach - a, total + reach + a + 1, 0);
      for (int s = -reach; s <= reach; s++) {
        double q = p[s + total];
        if (q != 0) {
          next[s + a + total] += q / 2;
          next[s - a + total] += q / 2;
        }
      }
      double[] done = p;
      p = next;
      next = done;
      reach += a;
    }
    double tail = 0;
    for (int s = -total; s <= total; s++) {
      if (Math.abs(s) >= observed) {
        tail += p[s + total];
      }
    }
    return Math.min(1, tail);
  }
}
