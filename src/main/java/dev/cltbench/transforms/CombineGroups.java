package dev.cltbench.transforms;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Puts every element under each of its groups and combines per group: {@code Combine.perKey} whose
 * values are folded into one accumulator per group within each bundle, before they leave the step that
 * finds the groups. A response belongs to a dozen groups (scope x condition x criterion); emitted one
 * value per group, the DirectRunner keeps every one of them in memory between the steps (2.4 million
 * keyed values for the 100x study's intervals alone), where Flink would have chained the steps and
 * lifted the combiner. Folded, a bundle emits one accumulator per group it touched.
 *
 * <p>The accumulators travel under a few shard keys, not one key per group: the DirectRunner makes a
 * bundle of each key a GroupByKey emits, and every later step pays for every bundle (keyed by group,
 * the published study's report ran 5,500 bundles through its steps; with shards, 484). A
 * group's shard is a hash of its encoded key, so every worker sends a group's accumulators to the same
 * shard, and the shard's output holds each group exactly once.
 *
 * <p>Beam has no transform that folds a fan-out inside the keying step, so this one is ours. The
 * result equals {@code Combine.perKey(fn)} over the emitted values whenever {@code fn} is associative
 * and commutative, as a CombineFn must be.
 */
public final class CombineGroups<InputT, K, V, AccumT, OutputT>
    extends PTransform<PCollection<InputT>, PCollection<KV<K, OutputT>>> {
  /** The groups of one element, each with the value it adds to that group. */
  public interface Groups<InputT, K, V> extends Serializable {
    void of(InputT element, Sink<K, V> out);
  }

  /** Where {@link Groups} puts an element's (group, value) pairs. */
  public interface Sink<K, V> {
    void add(K group, V value);
  }

  /** Groups a bundle may hold before it emits them early: bounds a step's memory by keys, not data. */
  static final int MAX_GROUPS_PER_BUNDLE = 20_000;

  private final int maxGroupsPerBundle;
  private final Groups<InputT, K, V> groups;
  private final Combine.CombineFn<V, AccumT, OutputT> fn;
  private final Coder<K> keyCoder;
  private final Coder<AccumT> accumulatorCoder;
  private final Coder<OutputT> outputCoder;

  public CombineGroups(String name, Groups<InputT, K, V> groups, Combine.CombineFn<V, AccumT, OutputT> fn,
      Coder<K> keyCoder, Coder<AccumT> accumulatorCoder, Coder<OutputT> outputCoder) {
    this(name, groups, fn, keyCoder, accumulatorCoder, outputCoder, MAX_GROUPS_PER_BUNDLE);
  }

  CombineGroups(String name, Groups<InputT, K, V> groups, Combine.CombineFn<V, AccumT, OutputT> fn,
      Coder<K> keyCoder, Coder<AccumT> accumulatorCoder, Coder<OutputT> outputCoder, int maxGroupsPerBundle) {
    super(name);
    this.maxGroupsPerBundle = maxGroupsPerBundle;
    this.groups = groups;
    this.fn = fn;
    this.keyCoder = keyCoder;
    this.accumulatorCoder = accumulatorCoder;
    this.outputCoder = outputCoder;
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<InputT> input) {
    int shards = Shards.of(input.getPipeline().getOptions());
    Coder<Map<K, AccumT>> shardCoder = MapCoder.of(keyCoder, accumulatorCoder);
    return input
        .apply("FoldGroupsPerBundle", ParDo.of(new FoldFn<>(groups, fn, maxGroupsPerBundle,
            new Shards.Of<>(keyCoder, shards))))
        .setCoder(KvCoder.of(VarIntCoder.of(), shardCoder))
        .apply("MergePerShard", Combine.perKey(new MergeFn<>(fn, shardCoder)))
        .setCoder(KvCoder.of(VarIntCoder.of(), shardCoder))
        .apply("OutputPerGroup", ParDo.of(new OutputFn<>(fn)))
        .setCoder(KvCoder.of(keyCoder, outputCoder));
  }

  /**
   * Merges {@code accs} into the first of them (a CombineFn may reuse its accumulators), so that a merge
   * costs what is merged in, not the total so far; {@code empty} when there are none.
   */
  static <A> A mergeIntoFirst(Iterable<A> accs, java.util.function.BinaryOperator<A> merge,
      java.util.function.Supplier<A> empty) {
    A merged = null;
    for (A a : accs) {
      merged = merged == null ? a : merge.apply(merged, a);
    }
    return merged == null ? empty.get() : merged;
  }

  /**
   * One accumulator per group the bundle touched, emitted when the bundle ends (or the map is full),
   * gathered by shard: one map per shard the bundle touched.
   */
  static final class FoldFn<InputT, K, V, AccumT> extends DoFn<InputT, KV<Integer, Map<K, AccumT>>> {
    private final Groups<InputT, K, V> groups;
    private final Combine.CombineFn<V, AccumT, ?> fn;
    private final int maxGroups;
    private final Shards.Of<K> shards;
    private transient Map<K, AccumT> folded;

    FoldFn(Groups<InputT, K, V> groups, Combine.CombineFn<V, AccumT, ?> fn, int maxGroups, Shards.Of<K> shards) {
      this.groups = groups;
      this.fn = fn;
      this.maxGroups = maxGroups;
      this.shards = shards;
    }

    @StartBundle
    public void start() {
      folded = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element InputT element, OutputReceiver<KV<Integer, Map<K, AccumT>>> out) {
      groups.of(element, (k, v) -> {
        AccumT acc = folded.get(k);
        if (acc == null) {
          acc = fn.createAccumulator();
        }
        folded.put(k, fn.addInput(acc, v));
      });
      if (folded.size() > maxGroups) {
        byShard().forEach((shard, accs) -> out.output(KV.of(shard, accs)));
        folded = new HashMap<>();
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      // Batch input lives in the global window; the accumulators belong to no one element's timestamp.
      byShard().forEach((shard, accs) -> context.output(KV.of(shard, accs), BoundedWindow.TIMESTAMP_MIN_VALUE,
          GlobalWindow.INSTANCE));
      folded = null;
    }

    private Map<Integer, Map<K, AccumT>> byShard() {
      Map<Integer, Map<K, AccumT>> out = new HashMap<>();
      folded.forEach((k, acc) -> out.computeIfAbsent(shards.of(k), x -> new HashMap<>()).put(k, acc));
      return out;
    }
  }

  /**
   * A shard's groups: {@code fn}'s accumulators by group, each bundle's map merged in group by group. A
   * group first seen in an input is copied into a new accumulator, so inputs are never changed.
   */
  static final class MergeFn<K, V, AccumT> extends Combine.CombineFn<Map<K, AccumT>, Map<K, AccumT>, Map<K, AccumT>> {
    private final Combine.CombineFn<V, AccumT, ?> fn;
    private final Coder<Map<K, AccumT>> shardCoder;

    MergeFn(Combine.CombineFn<V, AccumT, ?> fn, Coder<Map<K, AccumT>> shardCoder) {
      this.fn = fn;
      this.shardCoder = shardCoder;
    }

    @Override
    public Map<K, AccumT> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<K, AccumT> addInput(Map<K, AccumT> acc, Map<K, AccumT> bundle) {
      bundle.forEach((k, a) -> {
        AccumT mine = acc.get(k);
        acc.put(k, fn.mergeAccumulators(List.of(mine != null ? mine : fn.createAccumulator(), a)));
      });
      return acc;
    }

    @Override
    public Map<K, AccumT> mergeAccumulators(Iterable<Map<K, AccumT>> accs) {
      Map<K, AccumT> merged = null;
      for (Map<K, AccumT> a : accs) {
        merged = merged == null ? a : addInput(merged, a);
      }
      return merged == null ? createAccumulator() : merged;
    }

    @Override
    public Map<K, AccumT> extractOutput(Map<K, AccumT> acc) {
      return acc;
    }

    @Override
    public Coder<Map<K, AccumT>> getAccumulatorCoder(CoderRegistry registry, Coder<Map<K, AccumT>> inputCoder) {
      return shardCoder;
    }

    @Override
    public Coder<Map<K, AccumT>> getDefaultOutputCoder(CoderRegistry registry, Coder<Map<K, AccumT>> inputCoder) {
      return shardCoder;
    }
  }

  /** Each group of a shard with {@code fn}'s output. */
  static final class OutputFn<K, AccumT, OutputT> extends DoFn<KV<Integer, Map<K, AccumT>>, KV<K, OutputT>> {
    private final Combine.CombineFn<?, AccumT, OutputT> fn;

    OutputFn(Combine.CombineFn<?, AccumT, OutputT> fn) {
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Map<K, AccumT>> shard, OutputReceiver<KV<K, OutputT>> out) {
      shard.getValue().forEach((k, acc) -> out.output(KV.of(k, fn.extractOutput(acc))));
    }
  }
}
