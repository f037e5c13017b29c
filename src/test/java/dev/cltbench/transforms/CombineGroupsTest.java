package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * CombineGroups against a plain computation of the same groups: elements spread over many bundles,
 * each element in several groups, and more groups in one bundle than a bundle may hold
 * (so the early emission is taken too). The combine is a histogram of values, which any lost, doubled
 * or misrouted value changes.
 */
class CombineGroupsTest {
  private static final int MAX = 40;

  /** Each value under its residue class, under its own value, and under "all". */
  static final class Residues implements CombineGroups.Groups<Integer, String, Integer> {
    @Override
    public void of(Integer v, CombineGroups.Sink<String, Integer> out) {
      out.add("mod7:" + Math.floorMod(v, 7), v);
      out.add("value:" + v, v);
      out.add("all", v);
    }
  }

  /** Counts of each value (a histogram), merged into the first accumulator. */
  static final class HistogramFn extends Combine.CombineFn<Integer, Map<Integer, Long>, Map<Integer, Long>> {
    @Override
    public Map<Integer, Long> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public Map<Integer, Long> addInput(Map<Integer, Long> acc, Integer v) {
      acc.merge(v, 1L, Long::sum);
      return acc;
    }

    @Override
    public Map<Integer, Long> mergeAccumulators(Iterable<Map<Integer, Long>> accs) {
      Map<Integer, Long> merged = new TreeMap<>();
      accs.forEach(a -> a.forEach((k, n) -> merged.merge(k, n, Long::sum)));
      return merged;
    }

    @Override
    public Map<Integer, Long> extractOutput(Map<Integer, Long> acc) {
      return acc;
    }

    @Override
    public Coder<Map<Integer, Long>> getAccumulatorCoder(CoderRegistry registry, Coder<Integer> inputCoder) {
      return MapCoder.of(VarIntCoder.of(), VarLongCoder.of());
    }
  }

  /** The groups of {@code values} and their histograms, computed directly. */
  private static Map<String, Map<Integer, Long>> expected(List<Integer> values) {
    Map<String, Map<Integer, Long>> expected = new HashMap<>();
    for (int v : values) {
      for (String k : List.of("mod7:" + Math.floorMod(v, 7), "value:" + v, "all")) {
        expected.computeIfAbsent(k, x -> new TreeMap<>()).merge(v, 1L, Long::sum);
      }
    }
    return expected;
  }

  private static void assertGroups(PCollection<KV<String, Map<Integer, Long>>> out,
      Map<String, Map<Integer, Long>> expected) {
    PAssert.that(out).satisfies(kvs -> {
      Map<String, Map<Integer, Long>> actual = new HashMap<>();
      kvs.forEach(kv -> assertEquals(null, actual.put(kv.getKey(), new TreeMap<>(kv.getValue())),
          "one output per group: " + kv.getKey()));
      assertEquals(expected.size(), actual.size());
      assertEquals(expected, actual);
      return null;
    });
  }

  @Test
  void equalsTheGroupsComputedDirectly() {
    Random random = new Random(20261207);
    // One bundle with several times more distinct groups than a bundle may hold (MAX), values
    // repeated and negative; and the same spread over two dozen bundles. (The DirectRunner spends
    // milliseconds per key, so MAX is small here rather than the groups many.)
    List<Integer> many = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      many.add(random.nextInt(300) - 100);
    }
    List<Integer> spread = many;

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    Coder<Map<Integer, Long>> histogram = MapCoder.of(VarIntCoder.of(), VarLongCoder.of());
    assertGroups(p.apply("OneBundle", Create.of(many))
        .apply("InOneBundle", new CombineGroups<>("Histogram", new Residues(), new HistogramFn(),
            StringUtf8Coder.of(), histogram, histogram, MAX)), expected(many));
    // A GroupByKey's output is a bundle per key on the DirectRunner: 24 keys, 24 bundles.
    assertGroups(p.apply("Spread", Create.of(spread))
        .apply("KeyBy24", WithKeys.of((Integer v) -> Math.floorMod(v, 24)).withKeyType(TypeDescriptors.integers()))
        .apply("Group", GroupByKey.create())
        .apply("Values", Values.create())
        .apply("Flatten", Flatten.iterables())
        .apply("InManyBundles", new CombineGroups<>("Histogram", new Residues(), new HistogramFn(),
            StringUtf8Coder.of(), histogram, histogram, MAX)), expected(spread));
    p.run().waitUntilFinish();
  }
}
