package dev.cltbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The question-clustered statistics against computations written here from their definitions: a
 * plain cluster bootstrap over lists of per-question values (its own generator), the cluster-robust
 * standard error, a Monte Carlo cluster sign-flip, the closed-form power formulas with the normal
 * quantiles as literals, and type-7 quantiles of a sorted array.
 */
class ClusteredStatisticsTest {
  private static final double Z_975 = 1.959963984540054;
  private static final double Z_80 = 0.8416212335729143;

  /** 50 questions x 8 models, values in -6..6 with a strong shared question effect. */
  static int[][] correlatedPanel(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[][] v = new int[50][8];
    for (int q = 0; q < 50; q++) {
      int shared = rng.nextInt(-3, 4);
      for (int m = 0; m < 8; m++) {
        v[q][m] = Math.max(-6, Math.min(6, shared + rng.nextInt(-1, 2)));
      }
    }
    return v;
  }

  static ClusterHistogram histogram(int[][] v) {
    ClusterHistogram h = new ClusterHistogram();
    for (int[] q : v) {
      ClusterHistogram.Cluster c = new ClusterHistogram.Cluster(0, 0, 0);
      for (int x : q) {
        c = c.plus(ClusterHistogram.Cluster.of(x));
      }
      h.add(c);
    }
    return h;
  }

  /** The textbook cluster bootstrap: draw questions, pool their values, take the mean. */
  static double[] referenceBootstrap(int[][] v, int b, double confidence, SplittableRandom rng) {
    double[] means = new double[b];
    for (int i = 0; i < b; i++) {
      List<Integer> pooled = new ArrayList<>();
      for (int k = 0; k < v.length; k++) {
        for (int x : v[rng.nextInt(v.length)]) {
          pooled.add(x);
        }
      }
      means[i] = pooled.stream().mapToInt(Integer::intValue).average().orElseThrow();
    }
    Arrays.sort(means);
    double tail = (1 - confidence) / 2;
    return new double[] {means[(int) Math.floor(tail * b)], means[(int) Math.ceil((1 - tail) * b) - 1]};
  }

  @Test
  void clusteredIntervalMatchesAPlainClusterBootstrapAndTheClusterRobustError() {
    int[][] v = correlatedPanel(7);
    ClusterBootstrap.Interval ours = ClusterBootstrap.ci(histogram(v), 0.95, 20_000, 42);
    double[] ref = referenceBootstrap(v, 20_000, 0.95, new SplittableRandom(99));
    double mean = Arrays.stream(v).flatMapToInt(Arrays::stream).average().orElseThrow();
    assertEquals(mean, ours.mean(), 1e-12);
    assertEquals(400, ours.values());
    assertEquals(50, ours.clusters());
    // Two Monte Carlo runs of 20,000 draws: the 2.5% quantiles agree to a few hundredths of a point.
    assertEquals(ref[0], ours.lower(), 0.06, Arrays.toString(ref) + " vs " + ours);
    assertEquals(ref[1], ours.upper(), 0.06, Arrays.toString(ref) + " vs " + ours);
    // Cluster-robust standard error of the mean (equal cluster sizes: sd of question means / sqrt n).
    double[] qm = Arrays.stream(v).mapToDouble(q -> Arrays.stream(q).average().orElseThrow()).toArray();
    double qbar = Arrays.stream(qm).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(qm).map(x -> (x - qbar) * (x - qbar)).sum() / (qm.length - 1));
    double se = sd / Math.sqrt(qm.length);
    assertEquals(2 * Z_975 * se, ours.upper() - ours.lower(), 0.15 * 2 * Z_975 * se);
    // Treating the 400 values as independent gives a far narrower, wrong interval.
    double[] flat = Arrays.stream(v).flatMapToInt(Arrays::stream).asDoubleStream().toArray();
    BootstrapMean.Interval naive = BootstrapMean.ci(flat, 0.95, 20_000, 42);
    assertTrue(naive.upper() - naive.lower() < 0.6 * (ours.upper() - ours.lower()), naive + " vs " + ours);
  }

  @Test
  void oneValuePerQuestionIsTheOrdinaryBootstrap() {
    int[][] v = new int[50][1];
    SplittableRandom rng = new SplittableRandom(3);
    for (int[] q : v) {
      q[0] = rng.nextInt(-4, 5);
    }
    ClusterBootstrap.Interval ours = ClusterBootstrap.ci(histogram(v), 0.95, 20_000, 1);
    double[] ref = referenceBootstrap(v, 20_000, 0.95, new SplittableRandom(5));
    assertEquals(ref[0], ours.lower(), 0.1);
    assertEquals(ref[1], ours.upper(), 0.1);
  }

  /** 50 questions x 8 models x 3 criteria (0..2 each, sharing a question effect), as a score panel. */
  static int[][][] criteriaPanel(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[][][] v = new int[50][8][3];
    for (int q = 0; q < 50; q++) {
      int hard = rng.nextInt(0, 3);
      for (int m = 0; m < 8; m++) {
        for (int c = 0; c < 3; c++) {
          v[q][m][c] = Math.max(0, Math.min(2, 2 - hard + rng.nextInt(-1, 2) + (c == 1 ? 1 : 0)));
        }
      }
    }
    return v;
  }

  /** Each question's cluster of totals (the criteria's sum), with the criteria as parts when asked. */
  static ClusterHistogram scoreHistogram(int[][][] v, boolean withParts) {
    ClusterHistogram h = new ClusterHistogram();
    for (int[][] q : v) {
      long sum = 0;
      long squares = 0;
      long[] parts = new long[3];
      for (int[] response : q) {
        int total = response[0] + response[1] + response[2];
        sum += total;
        squares += (long) total * total;
        for (int c = 0; c < 3; c++) {
          parts[c] += response[c];
        }
      }
      h.add(withParts ? new ClusterHistogram.Cluster(sum, q.length, squares, parts)
          : new ClusterHistogram.Cluster(sum, q.length, squares));
    }
    return h;
  }

  @Test
  void criteriaComeFromTheTotalsResamples() {
    int[][][] v = criteriaPanel(31);
    List<ClusterBootstrap.Interval> joint = ClusterBootstrap.withParts(scoreHistogram(v, true), 0.95, 10_000, 8);
    assertEquals(4, joint.size());
    // The total's interval is the one computed without parts, to the last bit.
    assertEquals(ClusterBootstrap.ci(scoreHistogram(v, false), 0.95, 10_000, 8), joint.get(0));
    for (int c = 0; c < 3; c++) {
      int criterion = c;
      int[][] one = Arrays.stream(v).map(q -> Arrays.stream(q).mapToInt(r -> r[criterion]).toArray())
          .toArray(int[][]::new);
      double mean = Arrays.stream(one).flatMapToInt(Arrays::stream).average().orElseThrow();
      ClusterBootstrap.Interval ci = joint.get(c + 1);
      assertEquals(mean, ci.mean(), 1e-12);
      assertEquals(400, ci.values());
      double[] ref = referenceBootstrap(one, 20_000, 0.95, new SplittableRandom(40 + c));
      assertEquals(ref[0], ci.lower(), 0.03, "criterion " + c + " " + Arrays.toString(ref) + " vs " + ci);
      assertEquals(ref[1], ci.upper(), 0.03, "criterion " + c + " " + Arrays.toString(ref) + " vs " + ci);
    }
    // One set of resamples for all: a part equal to the total has the total's interval exactly, and a
    // part twice the total twice its bounds (separately seeded resamples would give other bounds).
    ClusterHistogram same = new ClusterHistogram();
    for (var e : scoreHistogram(v, false).distinct()) {
      ClusterHistogram.Cluster c = e.getKey();
      for (long k = 0; k < e.getValue(); k++) {
        same.add(new ClusterHistogram.Cluster(c.sum(), c.size(), c.sumSquares(), new long[] {c.sum(), 2 * c.sum()}));
      }
    }
    List<ClusterBootstrap.Interval> mirrored = ClusterBootstrap.withParts(same, 0.95, 10_000, 3);
    assertEquals(mirrored.get(0), mirrored.get(1));
    assertEquals(2 * mirrored.get(0).lower(), mirrored.get(2).lower(), 1e-12);
    assertEquals(2 * mirrored.get(0).upper(), mirrored.get(2).upper(), 1e-12);
    assertTrue(mirrored.get(0).upper() > mirrored.get(0).lower());
  }

  @Test
  void clusteredSignFlipFlipsWholeQuestions() {
    int[][] v = correlatedPanel(11);
    for (int[] q : v) {
      q[0] += 1; // a small effect on one model
    }
    PairedComparison.Result r = PairedComparison.compare(histogram(v), 1, 0.95, 10_000, 5,
        PairedComparison.Test.SIGN_FLIP);
    long[] sums = Arrays.stream(v).mapToLong(q -> Arrays.stream(q).sum()).toArray();
    long observed = Math.abs(Arrays.stream(sums).sum());
    SplittableRandom rng = new SplittableRandom(17);
    int b = 200_000;
    long hits = 0;
    for (int i = 0; i < b; i++) {
      long s = 0;
      for (long x : sums) {
        s += rng.nextBoolean() ? x : -x;
      }
      hits += Math.abs(s) >= observed ? 1 : 0;
    }
    double p = (hits + 1.0) / (b + 1.0);
    assertEquals(p, r.pValue(), 4 * Math.sqrt(p * (1 - p) / b) + 1e-4, r.toString());
  }

  @Test
  void powerTableIsTheClosedFormCalculation() {
    int[][] v = correlatedPanel(23);
    double scale = 100.0 / 6;
    PowerAnalysis.Result p = PowerAnalysis.of(histogram(v), scale, 0.05, 0.8);
    double[] qm = Arrays.stream(v).mapToDouble(q -> Arrays.stream(q).average().orElseThrow() * scale).toArray();
    double qbar = Arrays.stream(qm).average().orElseThrow();
    double sdQ = Math.sqrt(Arrays.stream(qm).map(x -> (x - qbar) * (x - qbar)).sum() / 49);
    double[] flat = Arrays.stream(v).flatMapToInt(Arrays::stream).mapToDouble(x -> x * scale).toArray();
    double fbar = Arrays.stream(flat).average().orElseThrow();
    double sdP = Math.sqrt(Arrays.stream(flat).map(x -> (x - fbar) * (x - fbar)).sum() / 399);
    assertEquals(50, p.questions());
    assertEquals(400, p.pairs());
    assertEquals(sdQ, p.sdQuestion(), 1e-9);
    assertEquals(sdP, p.sdPair(), 1e-9);
    assertEquals(sdQ * sdQ / (sdP * sdP / 8), p.designEffect(), 1e-9);
    assertEquals((Z_975 + Z_80) * sdQ / Math.sqrt(50), p.mde(), 1e-9);
    assertEquals((long) Math.ceil(Math.pow((Z_975 + Z_80) * sdQ / 2, 2)), p.questionsFor(2));
    assertEquals((long) Math.ceil(Math.pow((Z_975 + Z_80) * sdQ / 5, 2)), p.questionsFor(5));
    // At the MDE the formula needs exactly the questions we have.
    assertEquals(50, PowerAnalysis.questionsNeeded(sdQ, p.mde(), 0.05, 0.8));
  }

  /**
   * The published claude_opus_4.5 C5 vs C4 (the example of interval and Wilcoxon disagreeing):
   * the sign-flip p is the exact enumeration over the non-zero differences' signs. Only 7 of 50
   * differences are non-zero, and the percentile bootstrap interval excludes 0 though the exact test
   * does not reject: at this sparsity the bootstrap is too narrow (the README says so).
   */
  @Test
  void publishedSparseComparisonHasTheExactSignFlipP() throws Exception {
    Map<Integer, Integer> t = totals("C5_mongolian_transfer", "claude_opus_4.5");
    Map<Integer, Integer> c = totals("C4_mongolian", "claude_opus_4.5");
    int[][] v = new int[50][1];
    List<Integer> nonZero = new ArrayList<>();
    for (int q = 1; q <= 50; q++) {
      v[q - 1][0] = t.get(q) - c.get(q);
      if (v[q - 1][0] != 0) {
        nonZero.add(v[q - 1][0]);
      }
    }
    int observed = Math.abs(nonZero.stream().mapToInt(Integer::intValue).sum());
    int hits = 0;
    for (int mask = 0; mask < 1 << nonZero.size(); mask++) {
      int s = 0;
      for (int i = 0; i < nonZero.size(); i++) {
        s += ((mask >> i & 1) == 1 ? -1 : 1) * nonZero.get(i);
      }
      hits += Math.abs(s) >= observed ? 1 : 0;
    }
    PairedComparison.Result r = PairedComparison.compare(histogram(v), 100.0 / 6, 0.95, 10_000, 1,
        PairedComparison.Test.SIGN_FLIP);
    assertEquals((double) hits / (1 << nonZero.size()), r.pValue(), 1e-12);
    assertEquals(-7 * 100.0 / 6 / 50, r.meanDifference(), 1e-9);
  }

  @Test
  void timeQuantilesAreTypeSeven() {
    double[] times = {7.7, 1.2, 8763.0, 3.3, 7.7, 12.5, 2.0, 9.1};
    ValueHistogram h = new ValueHistogram();
    for (double t : times) {
      h.add(t);
    }
    double[] s = times.clone();
    Arrays.sort(s);
    for (double p : new double[] {0.25, 0.5, 0.75}) {
      double pos = (s.length - 1) * p;
      int lo = (int) pos;
      double expected = s[lo] + (pos - lo) * (s[lo + 1] - s[lo]);
      assertEquals(expected, h.quantile(p), 1e-12, "p=" + p);
    }
    assertEquals(7.7, h.quantile(0.5), 1e-12);
    assertEquals(Arrays.stream(times).sum() / times.length, h.mean(), 1e-9);
  }

  static Map<Integer, Integer> totals(String conditionDir, String model) throws Exception {
    Map<Integer, Integer> m = new HashMap<>();
    try (Reader r = Files.newBufferedReader(StudyData.study().resolve("grades/" + conditionDir + ".csv"))) {
      for (CSVRecord c : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
        if (c.get("model").equals(model)) {
          m.put(Integer.parseInt(c.get("question_id")), Integer.parseInt(c.get("total")));
        }
      }
    }
    return m;
  }
}
