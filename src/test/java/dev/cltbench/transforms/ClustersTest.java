package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
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
      Map<Integer, long[]> expected = new TreeMap<>();
      List<ClusterByQuestion.Clusters> parts = new ArrayList<>();
      ClusterByQuestion.Clusters part = fn.createAccumulator();
      int question = random.nextInt(5);
      for (int i = 0; i < values; i++) {
        // Mostly ascending, as within a bundle; sometimes back to an earlier or the same question.
        question = random.nextInt(4) == 0 ? random.nextInt(question + 1) : question + random.nextInt(3);
        int v = random.nextInt(61) - 30;
        long[] e = expected.computeIfAbsent(question, q -> new long[3]);
        e[0] += v;
        e[1]++;
        e[2] += (long) v * v;
        part = fn.addInput(part, KV.of(question, v));
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
        assertArrayEquals(e.getValue(), new long[] {merged.sums[i], merged.counts[i], merged.squares[i]});
        i++;
      }
      assertEquals(expected.size(), fn.extractOutput(merged).clusters());
      ClusterByQuestion.Clusters back = CoderUtils.clone(
          fn.getAccumulatorCoder(null, null), merged);
      assertEquals(merged.size, back.size);
      for (int k = 0; k < merged.size; k++) {
        assertEquals(merged.questions[k], back.questions[k]);
        assertEquals(merged.sums[k], back.sums[k]);
        assertEquals(merged.counts[k], back.counts[k]);
        assertEquals(merged.squares[k], back.squares[k]);
      }
    }
  }
}
