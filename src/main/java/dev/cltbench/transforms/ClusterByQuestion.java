package dev.cltbench.transforms;

import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.ClusterHistogram.Cluster;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * ((scope, question id), integer value) to (scope, its values clustered by question): first each
 * question's values are summed within the scope, then the scope's questions are counted by distinct
 * cluster. Both steps are associative combines, so neither a scope nor a question is ever held whole.
 * The scope is any key with a deterministic coder.
 */
public final class ClusterByQuestion<K>
    extends PTransform<PCollection<KV<KV<K, Integer>, Integer>>, PCollection<KV<K, ClusterHistogram>>> {
  private final Coder<K> scopeCoder;

  public ClusterByQuestion(String name, Coder<K> scopeCoder) {
    super(name);
    this.scopeCoder = scopeCoder;
  }

  /** The key for one value of {@code scope} on question {@code question}. */
  public static <K> KV<K, Integer> key(K scope, int question) {
    return KV.of(scope, question);
  }

  /** The coder of the input's (scope, question) keys. */
  public static <K> Coder<KV<KV<K, Integer>, Integer>> inputCoder(Coder<K> scopeCoder) {
    return KvCoder.of(KvCoder.of(scopeCoder, VarIntCoder.of()), VarIntCoder.of());
  }

  @Override
  public PCollection<KV<K, ClusterHistogram>> expand(PCollection<KV<KV<K, Integer>, Integer>> values) {
    return values
        .apply("SumPerQuestion", Combine.perKey(new ClusterFn()))
        .setCoder(KvCoder.of(KvCoder.of(scopeCoder, VarIntCoder.of()), Cluster.coder()))
        .apply("KeyByScope", ParDo.of(new DropQuestionFn<K>()))
        .setCoder(KvCoder.of(scopeCoder, Cluster.coder()))
        .apply("CountClusters", Combine.perKey(new HistogramFn()))
        .setCoder(KvCoder.of(scopeCoder, ClusterHistogram.coder()));
  }

  static final class ClusterFn extends Combine.CombineFn<Integer, Cluster, Cluster> {
    @Override
    public Cluster createAccumulator() {
      return new Cluster(0, 0, 0);
    }

    @Override
    public Cluster addInput(Cluster acc, Integer value) {
      return acc.plus(Cluster.of(value));
    }

    @Override
    public Cluster mergeAccumulators(Iterable<Cluster> accs) {
      Cluster merged = createAccumulator();
      for (Cluster c : accs) {
        merged = merged.plus(c);
      }
      return merged;
    }

    @Override
    public Cluster extractOutput(Cluster acc) {
      return acc;
    }

    @Override
    public Coder<Cluster> getAccumulatorCoder(CoderRegistry registry, Coder<Integer> inputCoder)
        throws CannotProvideCoderException {
      return Cluster.coder();
    }
  }

  static final class DropQuestionFn<K> extends DoFn<KV<KV<K, Integer>, Cluster>, KV<K, Cluster>> {
    @ProcessElement
    public void process(@Element KV<KV<K, Integer>, Cluster> e, OutputReceiver<KV<K, Cluster>> out) {
      out.output(KV.of(e.getKey().getKey(), e.getValue()));
    }
  }

  static final class HistogramFn extends Combine.CombineFn<Cluster, ClusterHistogram, ClusterHistogram> {
    @Override
    public ClusterHistogram createAccumulator() {
      return new ClusterHistogram();
    }

    @Override
    public ClusterHistogram addInput(ClusterHistogram acc, Cluster c) {
      return acc.add(c);
    }

    @Override
    public ClusterHistogram mergeAccumulators(Iterable<ClusterHistogram> accs) {
      ClusterHistogram merged = new ClusterHistogram();
      for (ClusterHistogram a : accs) {
        merged.merge(a);
      }
      return merged;
    }

    @Override
    public ClusterHistogram extractOutput(ClusterHistogram acc) {
      return acc;
    }

    @Override
    public Coder<ClusterHistogram> getAccumulatorCoder(CoderRegistry registry, Coder<Cluster> inputCoder)
        throws CannotProvideCoderException {
      return ClusterHistogram.coder();
    }
  }
}
