package dev.cltbench.transforms;

import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.ClusterHistogram.Cluster;
import dev.cltbench.study.TupleKey;
import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Values of scopes on questions to (scope, its values clustered by question): a combine per (scope,
 * block of question ids) whose accumulator sums each question's values (a map question -> cluster,
 * merged by adding the clusters) and counts the block's questions by distinct cluster, then the blocks'
 * counts added per scope. Not a key per (scope, question): that gave the DirectRunner a bundle per
 * question and scope (1.3 million at 100 times the published study), and its per-bundle costs were
 * most of the report's time. Each bundle's values are folded per key where they are found
 * ({@link CombineGroups}). The scope is any key with a deterministic coder.
 */
public final class ClusterByQuestion<T, K> extends PTransform<PCollection<T>, PCollection<KV<K, ClusterHistogram>>> {
  /** The values one element gives: each to a scope, on a question. */
  public interface Values<T, K> extends Serializable {
    void of(T element, Sink<K> out);
  }

  /** Where {@link Values} puts them. */
  public interface Sink<K> {
    void add(K scope, int question, int value);
  }

  private final Values<T, K> values;
  private final Coder<K> scopeCoder;

  public ClusterByQuestion(String name, Values<T, K> values, Coder<K> scopeCoder) {
    super(name);
    this.values = values;
    this.scopeCoder = scopeCoder;
  }

  /** Over ((scope, question id), value) pairs already made by an earlier step. */
  public static <K> ClusterByQuestion<KV<KV<K, Integer>, Integer>, K> ofPairs(String name, Coder<K> scopeCoder) {
    return new ClusterByQuestion<>(name, new PairValues<>(), scopeCoder);
  }

  /** The key for one value of {@code scope} on question {@code question}. */
  public static <K> KV<K, Integer> key(K scope, int question) {
    return KV.of(scope, question);
  }

  /** The coder of {@link #ofPairs}' input. */
  public static <K> Coder<KV<KV<K, Integer>, Integer>> inputCoder(Coder<K> scopeCoder) {
    return KvCoder.of(KvCoder.of(scopeCoder, VarIntCoder.of()), VarIntCoder.of());
  }

  @Override
  public PCollection<KV<K, ClusterHistogram>> expand(PCollection<T> input) {
    // Keyed by (scope, block of question ids) first: a question's values all land in one block, so a
    // block's histogram is final, and a key only hears from the few bundles that hold its block (the
    // DirectRunner copies a key's whole grouped state for every bundle that reaches it: keyed by scope
    // alone, the 100x study's 200 bundles per scope made that copying a sixth of the report's CPU).
    return input
        .apply(new CombineGroups<>("ClusterPerScopeBlock", new ByScopeBlock<>(values), new ClustersFn(),
            KvCoder.of(scopeCoder, VarIntCoder.of()), ClustersCoder.INSTANCE, ClusterHistogram.coder()))
        .apply("DropBlock", ParDo.of(new DropBlockFn<K>()))
        .setCoder(KvCoder.of(scopeCoder, ClusterHistogram.coder()))
        .apply("MergeBlocksPerScope", Combine.perKey(new MergeHistogramsFn()))
        .setCoder(KvCoder.of(scopeCoder, ClusterHistogram.coder()));
  }

  static final class DropBlockFn<K> extends DoFn<KV<KV<K, Integer>, ClusterHistogram>, KV<K, ClusterHistogram>> {
    @ProcessElement
    public void process(@Element KV<KV<K, Integer>, ClusterHistogram> e,
        OutputReceiver<KV<K, ClusterHistogram>> out) {
      out.output(KV.of(e.getKey().getKey(), e.getValue()));
    }
  }

  /** Histograms of disjoint question blocks add up: counts by distinct cluster. */
  static final class MergeHistogramsFn
      extends Combine.CombineFn<ClusterHistogram, ClusterHistogram, ClusterHistogram> {
    @Override
    public ClusterHistogram createAccumulator() {
      return new ClusterHistogram();
    }

    @Override
    public ClusterHistogram addInput(ClusterHistogram acc, ClusterHistogram block) {
      return acc.merge(block);
    }

    @Override
    public ClusterHistogram mergeAccumulators(Iterable<ClusterHistogram> accs) {
      ClusterHistogram merged = null;
      for (ClusterHistogram h : accs) {
        merged = merged == null ? h : merged.merge(h);
      }
      return merged == null ? new ClusterHistogram() : merged;
    }

    @Override
    public ClusterHistogram extractOutput(ClusterHistogram acc) {
      return acc;
    }

    @Override
    public Coder<ClusterHistogram> getAccumulatorCoder(CoderRegistry registry, Coder<ClusterHistogram> inputCoder) {
      return ClusterHistogram.coder();
    }
  }

  static final class PairValues<K> implements Values<KV<KV<K, Integer>, Integer>, K> {
    @Override
    public void of(KV<KV<K, Integer>, Integer> e, Sink<K> out) {
      out.add(e.getKey().getKey(), e.getKey().getValue(), e.getValue());
    }
  }

  static final class ByScopeBlock<T, K> implements CombineGroups.Groups<T, KV<K, Integer>, KV<Integer, Integer>> {
    private final Values<T, K> values;

    ByScopeBlock(Values<T, K> values) {
      this.values = values;
    }

    @Override
    public void of(T element, CombineGroups.Sink<KV<K, Integer>, KV<Integer, Integer>> out) {
      values.of(element, (scope, question, value) ->
          out.add(KV.of(scope, question / TupleKey.BLOCK), KV.of(question, value)));
    }
  }

  /** A scope's questions, each with the cluster of its values so far. */
  static final class Clusters {
    final TreeMap<Integer, Cluster> byQuestion = new TreeMap<>();

    void add(int question, Cluster c) {
      byQuestion.merge(question, c, Cluster::plus);
    }
  }

  static final class ClustersFn extends Combine.CombineFn<KV<Integer, Integer>, Clusters, ClusterHistogram> {
    @Override
    public Clusters createAccumulator() {
      return new Clusters();
    }

    @Override
    public Clusters addInput(Clusters acc, KV<Integer, Integer> value) {
      acc.add(value.getKey(), Cluster.of(value.getValue()));
      return acc;
    }

    @Override
    public Clusters mergeAccumulators(Iterable<Clusters> accs) {
      // Into the first (a CombineFn may): merging a bundle's clusters costs that bundle's questions,
      // not the scope's so far.
      Clusters merged = null;
      for (Clusters c : accs) {
        if (merged == null) {
          merged = c;
        } else {
          c.byQuestion.forEach(merged::add);
        }
      }
      return merged == null ? new Clusters() : merged;
    }

    @Override
    public ClusterHistogram extractOutput(Clusters acc) {
      ClusterHistogram h = new ClusterHistogram();
      acc.byQuestion.values().forEach(h::add);
      return h;
    }

    @Override
    public Coder<Clusters> getAccumulatorCoder(CoderRegistry registry, Coder<KV<Integer, Integer>> inputCoder)
        throws CannotProvideCoderException {
      return ClustersCoder.INSTANCE;
    }
  }

  private static final class ClustersCoder extends AtomicCoder<Clusters> {
    static final ClustersCoder INSTANCE = new ClustersCoder();

    @Override
    public void encode(Clusters c, OutputStream out) throws IOException {
      Wire.integer(c.byQuestion.size(), out);
      for (Map.Entry<Integer, Cluster> e : c.byQuestion.entrySet()) {
        Wire.integer(e.getKey(), out);
        Cluster.coder().encode(e.getValue(), out);
      }
    }

    @Override
    public Clusters decode(InputStream in) throws IOException {
      Clusters c = new Clusters();
      int n = Wire.integer(in);
      for (int i = 0; i < n; i++) {
        c.byQuestion.put(Wire.integer(in), Cluster.coder().decode(in));
      }
      return c;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
