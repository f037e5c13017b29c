package dev.cltbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import dev.cltbench.study.PipelineDefinition;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One real comparison per language, read here straight from the study's grades CSVs (not through the
 * pipeline): transfer minus direct total score (accuracy + fluency + completeness), paired by
 * (question, model). The pipeline's statistics must give the same mean difference and p-values that
 * agree with Monte Carlo permutation tests written independently here.
 */
class PublishedStudyComparisonTest {
  static Map<String, Integer> totals(String conditionDir) throws Exception {
    Map<String, Integer> m = new HashMap<>();
    try (Reader r = Files.newBufferedReader(StudyData.study().resolve("grades/" + conditionDir + ".csv"))) {
      for (CSVRecord c : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
        int total = Integer.parseInt(c.get("accuracy")) + Integer.parseInt(c.get("fluency"))
            + Integer.parseInt(c.get("completeness"));
        m.put(c.get("question_id") + "/" + c.get("model"), total);
      }
    }
    return m;
  }

  @ParameterizedTest
  @CsvSource({"C3_kazakh_transfer, C2_kazakh", "C5_mongolian_transfer, C4_mongolian"})
  void pipelineStatisticsAgreeWithAnIndependentComputation(String treatment, String control) throws Exception {
    Map<String, Integer> t = totals(treatment);
    Map<String, Integer> c = totals(control);
    assertEquals(400, t.size());
    List<Integer> diffs = new ArrayList<>();
    t.forEach((k, v) -> diffs.add(v - c.get(k)));
    assertEquals(400, diffs.size());
    int[] d = diffs.stream().mapToInt(Integer::intValue).toArray();
    double expectedMeanPp = Arrays.stream(d).sum() / 400.0 / 6 * 100;

    PipelineDefinition def = PipelineDefinition.read(StudyData.leftBehindPipeline());
    PipelineDefinition.StatisticsSettings st = def.statistics();
    DiffHistogram h = new DiffHistogram();
    for (int x : d) {
      h.add(x);
    }
    long seed = Seeds.forScope(st.seed(), "overall");
    PairedComparison.Result w = PairedComparison.compare(h, 100.0 / 6, st.confidence(),
        st.bootstrapResamples(), seed, PairedComparison.Test.WILCOXON);
    PairedComparison.Result s = PairedComparison.compare(h, 100.0 / 6, st.confidence(),
        st.bootstrapResamples(), seed, PairedComparison.Test.SIGN_FLIP);
    assertEquals(400, w.n());
    assertEquals(expectedMeanPp, w.meanDifference(), 1e-9);
    assertEquals(expectedMeanPp, s.meanDifference(), 1e-9);
    assertTrue(w.ciLower() < expectedMeanPp && expectedMeanPp < w.ciUpper(), w.toString());

    int b = 200_000;
    SplittableRandom rng = new SplittableRandom(12345);
    double pSign = monteCarloSignFlip(d, b, rng);
    assertEquals(pSign, s.pValue(), 4 * Math.sqrt(pSign * (1 - pSign) / b) + 1e-4, "sign-flip " + s);
    // The library's Wilcoxon p is a normal approximation (ties); against the permutation distribution
    // of the same signed-rank statistic (zeros dropped) it may differ by the approximation error.
    double pRank = monteCarloSignedRank(d, b, rng);
    assertEquals(pRank, w.pValue(), 0.02, "wilcoxon " + w + " vs permutation " + pRank);
  }

  static double monteCarloSignFlip(int[] d, int b, SplittableRandom rng) {
    long observed = Math.abs(Arrays.stream(d).sum());
    long hits = 0;
    for (int i = 0; i < b; i++) {
      long s = 0;
      for (int x : d) {
        s += rng.nextBoolean() ? x : -x;
      }
      hits += Math.abs(s) >= observed ? 1 : 0;
    }
    return (hits + 1.0) / (b + 1.0);
  }

  /** Wilcoxon's convention: drop zeros, rank |d| (average ranks for ties), sum ranks of positive d. */
  static double monteCarloSignedRank(int[] all, int b, SplittableRandom rng) {
    int[] d = Arrays.stream(all).filter(x -> x != 0).toArray();
    int n = d.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> Integer.compare(Math.abs(d[x]), Math.abs(d[y])));
    double[] rank = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && Math.abs(d[idx[j]]) == Math.abs(d[idx[i]])) {
        j++;
      }
      for (int k = i; k < j; k++) {
        rank[idx[k]] = (i + 1 + j) / 2.0;
      }
      i = j;
    }
    double wPlus = 0;
    double nonZeroRanks = 0;
    for (int i = 0; i < n; i++) {
      if (d[i] > 0) {
        wPlus += rank[i];
      }
      if (d[i] != 0) {
        nonZeroRanks += rank[i];
      }
    }
    double centre = nonZeroRanks / 2;
    double observed = Math.abs(wPlus - centre);
    long hits = 0;
    for (int k = 0; k < b; k++) {
      double w = 0;
      for (int i = 0; i < n; i++) {
        if (d[i] != 0 && rng.nextBoolean()) {
          w += rank[i];
        }
      }
      hits += Math.abs(w - centre) >= observed - 1e-9 ? 1 : 0;
    }
    return (hits + 1.0) / (b + 1.0);
  }
}
