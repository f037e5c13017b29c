package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cltbench.stats.ClusterHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * The clusters accumulator's sorted arrays against a TreeMap of the same values: values added in and
 * out of question order, accumulators merged in random splits, and a round trip through the coder.
 */
class ClustersTest {
  @Test
  void addsAndMergesAsAMapOfSums() throws Exception {
    Random random = new Random(7);
    ClusterByQuestion.ClustersFn fn = new ClusterByQuestion.ClustersFn();
    for (int round = 0; round < 200; round++) {
      int values = random.nextInt(300);
      int width = random.nextInt(4);
      Map<Integer, long[]> expected = new TreeMap<>();
      List<ClusterByQuestion.Clusters> parts = new ArrayList<>();
      ClusterByQuestion.Clusters part = fn.createAccumulator();
      int question = random.nextInt(5);
      for (int i = 0; i < values; i++) {
        // Mostly ascending, as within a bundle; sometimes back to an earlier or the same question.
        question = random.nextInt(4) == 0 ? random.nextInt(question + 1) : question + random.nextInt(3);
        int v = random.nextInt(61) - 30;
        int[] valueParts = new int[width];
        long[] e = expected.computeIfAbsent(question, q -> new long[3 + width]);
        e[0] += v;
        e[1]++;
        e[2] += (long) v * v;
        for (int p = 0; p < width; p++) {
          valueParts[p] = random.nextInt(11);
          e[3 + p] += valueParts[p];
        }
        part = fn.addInput(part, new ClusterByQuestion.Value(question, v, valueParts));
        if (random.nextInt(40) == 0) {
          parts.add(part);
          part = fn.createAccumulator();
        }
      }
      parts.add(part);
      ClusterByQuestion.Clusters merged = fn.mergeAccumulators(parts);
      assertEquals(expected.size(), merged.size);
      int i = 0;
      for (Map.Entry<Integer, long[]> e : expected.entrySet()) {
        assertEquals(e.getKey(), merged.questions[i]);
        long[] actual = new long[3 + width];
        actual[0] = merged.sums[i];
        actual[1] = merged.counts[i];
        actual[2] = merged.squares[i];
        System.arraycopy(merged.parts, i * width, actual, 3, width);
        assertArrayEquals(e.getValue(), actual);
        i++;
      }
      ClusterHistogram histogram = fn.extractOutput(merged);
      assertEquals(expected.size(), histogram.clusters());
      assertEquals(histogram.expanded(), CoderUtils.clone(ClusterHistogram.coder(), histogram).expanded());
      long[] partTotals = new long[width];
      for (ClusterHistogram.Cluster c : histogram.expanded()) {
        assertEquals(width, c.parts().length);
        for (int p = 0; p < width; p++) {
          partTotals[p] += c.parts()[p];
        }
      }
      for (int p = 0; p < width; p++) {
        int at = p;
        assertEquals(expected.values().stream().mapToLong(e -> e[3 + at]).sum(), partTotals[p]);
      }
      ClusterByQuestion.Clusters back = CoderUtils.clone(
          fn.getAccumulatorCoder(null, null), merged);
      assertEquals(merged.size, back.size);
      for (int k = 0; k < merged.size; k++) {
        assertEquals(merged.questions[k], back.questions[k]);
        assertEquals(merged.sums[k], back.sums[k]);
        assertEquals(merged.counts[k], back.counts[k]);
        assertEquals(merged.squares[k], back.squares[k]);
        for (int p = 0; p < width; p++) {
          assertEquals(merged.parts[k * width + p], back.parts[k * width + p]);
        }
      }
    }
  }
}
