package dev.cltbench.transforms;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
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
    return input
        .apply("FoldGroupsPerBundle", ParDo.of(new FoldFn<>(groups, fn, maxGroupsPerBundle)))
        .setCoder(KvCoder.of(keyCoder, accumulatorCoder))
        .apply("MergePerGroup", Combine.perKey(new MergeFn<>(fn, accumulatorCoder, outputCoder)))
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

  /** One accumulator per group the bundle touched, emitted when the bundle ends (or the map is full). */
  static final class FoldFn<InputT, K, V, AccumT> extends DoFn<InputT, KV<K, AccumT>> {
    private final Groups<InputT, K, V> groups;
    private final Combine.CombineFn<V, AccumT, ?> fn;
    private final int maxGroups;
    private transient Map<K, AccumT> folded;

    FoldFn(Groups<InputT, K, V> groups, Combine.CombineFn<V, AccumT, ?> fn, int maxGroups) {
      this.groups = groups;
      this.fn = fn;
      this.maxGroups = maxGroups;
    }

    @StartBundle
    public void start() {
      folded = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element InputT element, OutputReceiver<KV<K, AccumT>> out) {
      groups.of(element, (k, v) -> {
        AccumT acc = folded.get(k);
        if (acc == null) {
          acc = fn.createAccumulator();
        }
        folded.put(k, fn.addInput(acc, v));
      });
      if (folded.size() > maxGroups) {
        folded.forEach((k, acc) -> out.output(KV.of(k, acc)));
        folded = new HashMap<>();
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      // Batch input lives in the global window; the accumulators belong to no one element's timestamp.
      folded.forEach((k, acc) -> context.output(KV.of(k, acc), BoundedWindow.TIMESTAMP_MIN_VALUE,
          GlobalWindow.INSTANCE));
      folded = null;
    }
  }

  /** {@code fn} over accumulators: each input is a bundle's accumulator, merged in. */
  static final class MergeFn<V, AccumT, OutputT> extends Combine.CombineFn<AccumT, AccumT, OutputT> {
    private final Combine.CombineFn<V, AccumT, OutputT> fn;
    private final Coder<AccumT> accumulatorCoder;
    private final Coder<OutputT> outputCoder;

    MergeFn(Combine.CombineFn<V, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder, Coder<OutputT> outputCoder) {
      this.fn = fn;
      this.accumulatorCoder = accumulatorCoder;
      this.outputCoder = outputCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT acc, AccumT bundle) {
      return fn.mergeAccumulators(List.of(acc, bundle));
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accs) {
      return fn.mergeAccumulators(accs);
    }

    @Override
    public OutputT extractOutput(AccumT acc) {
      return fn.extractOutput(acc);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return accumulatorCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return outputCoder;
    }
  }
}
