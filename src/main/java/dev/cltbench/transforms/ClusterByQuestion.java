package dev.cltbench.transforms;

import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.ClusterHistogram.Cluster;
import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * ((scope, question id), integer value) to (scope, its values clustered by question): one combine per
 * scope whose accumulator sums each question's values (a map question -> cluster, merged by adding the
 * clusters), then counts the scope's questions by distinct cluster. Keyed by scope alone: a key per
 * (scope, question) gave the DirectRunner a bundle per question and scope (13,000 at the published
 * study's size, 1.3 million at 100 times it), and its per-bundle costs were most of the report's time.
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
        .apply("KeyByScope", ParDo.of(new KeyByScopeFn<K>()))
        .setCoder(KvCoder.of(scopeCoder, KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
        .apply("ClusterPerScope", Combine.perKey(new ClustersFn()))
        .setCoder(KvCoder.of(scopeCoder, ClusterHistogram.coder()));
  }

  static final class KeyByScopeFn<K> extends DoFn<KV<KV<K, Integer>, Integer>, KV<K, KV<Integer, Integer>>> {
    @ProcessElement
    public void process(@Element KV<KV<K, Integer>, Integer> e, OutputReceiver<KV<K, KV<Integer, Integer>>> out) {
      out.output(KV.of(e.getKey().getKey(), KV.of(e.getKey().getValue(), e.getValue())));
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
      Clusters merged = new Clusters();
      for (Clusters c : accs) {
        c.byQuestion.forEach(merged::add);
      }
      return merged;
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
