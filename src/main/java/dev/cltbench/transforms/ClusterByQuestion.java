package dev.cltbench.transforms;

import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.ClusterHistogram.Cluster;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * (scope + SEP + question id, integer value) to (scope, its values clustered by question): first each
 * question's values are summed within the scope, then the scope's questions are counted by distinct
 * cluster. Both steps are associative combines, so neither a scope nor a question is ever held whole.
 */
public final class ClusterByQuestion
    extends PTransform<PCollection<KV<String, Integer>>, PCollection<KV<String, ClusterHistogram>>> {
  public static final String SEP = "\u001e";

  public ClusterByQuestion(String name) {
    super(name);
  }

  /** The key for one value of {@code scope} on question {@code question}. */
  public static String key(String scope, int question) {
    return scope + SEP + question;
  }

  @Override
  public PCollection<KV<String, ClusterHistogram>> expand(PCollection<KV<String, Integer>> values) {
    return values
        .apply("SumPerQuestion", Combine.perKey(new ClusterFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Cluster.coder()))
        .apply("KeyByScope", ParDo.of(new DropQuestionFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Cluster.coder()))
        .apply("CountClusters", Combine.perKey(new HistogramFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ClusterHistogram.coder()));
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

  static final class DropQuestionFn extends DoFn<KV<String, Cluster>, KV<String, Cluster>> {
    @ProcessElement
    public void process(@Element KV<String, Cluster> e, OutputReceiver<KV<String, Cluster>> out) {
      String k = e.getKey();
      out.output(KV.of(k.substring(0, k.lastIndexOf(SEP)), e.getValue()));
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
