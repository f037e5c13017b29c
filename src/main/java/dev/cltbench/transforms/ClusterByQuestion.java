package dev.cltbench.transforms;

import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.ClusterHistogram.Cluster;
import dev.cltbench.study.TupleKey;
import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
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

  /**
   * Where {@link Values} puts them: a value, and its parts when it is a sum of them (a total score and
   * its criteria). Every value of a scope has the same number of parts.
   */
  public interface Sink<K> {
    void add(K scope, int question, int value, int... parts);
  }

  /** One value on one question, with its parts. */
  record Value(int question, int value, int[] parts) {}

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
        .apply(new CombineGroups<>("MergeBlocksPerScope", new ScopeOfBlock<K>(), new MergeHistogramsFn(),
            scopeCoder, ClusterHistogram.coder(), ClusterHistogram.coder()));
  }

  /** A block's histogram, to its scope. */
  static final class ScopeOfBlock<K> implements CombineGroups.Groups<KV<KV<K, Integer>, ClusterHistogram>, K, ClusterHistogram> {
    @Override
    public void of(KV<KV<K, Integer>, ClusterHistogram> block, CombineGroups.Sink<K, ClusterHistogram> out) {
      out.add(block.getKey().getKey(), block.getValue());
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
      return CombineGroups.mergeIntoFirst(accs, ClusterHistogram::merge, ClusterHistogram::new);
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
    private static final int[] NO_PARTS = new int[0];

    @Override
    public void of(KV<KV<K, Integer>, Integer> e, Sink<K> out) {
      out.add(e.getKey().getKey(), e.getKey().getValue(), e.getValue(), NO_PARTS);
    }
  }

  static final class ByScopeBlock<T, K> implements CombineGroups.Groups<T, KV<K, Integer>, Value> {
    private final Values<T, K> values;

    ByScopeBlock(Values<T, K> values) {
      this.values = values;
    }

    @Override
    public void of(T element, CombineGroups.Sink<KV<K, Integer>, Value> out) {
      values.of(element, (scope, question, value, parts) ->
          out.add(KV.of(scope, question / TupleKey.BLOCK), new Value(question, value, parts)));
    }
  }

  /**
   * A block's questions, each with the cluster of its values so far: sorted parallel arrays, as no
   * primitive-keyed map is on the classpath and a TreeMap of boxed clusters took 88 bytes a question
   * (a quarter of the 100x report's live heap). Values arrive in question order within a bundle, so
   * adding is mostly an append; merging two is one pass. A question's parts are the {@code width}
   * longs from {@code question index x width} in {@code parts}.
   */
  static final class Clusters {
    int size;
    int width;
    int[] questions = new int[4];
    long[] sums = new long[4];
    int[] counts = new int[4];
    long[] squares = new long[4];
    long[] parts = new long[0];

    /** The index of {@code question}, a new zero entry if it had none. */
    int slot(int question, int valueWidth) {
      if (valueWidth != width) {
        if (size > 0) {
          throw new IllegalArgumentException("values of " + valueWidth + " parts in a scope of " + width);
        }
        width = valueWidth;
        parts = new long[questions.length * width];
      }
      int at = size > 0 && question > questions[size - 1] ? -size - 1
          : java.util.Arrays.binarySearch(questions, 0, size, question);
      if (at >= 0) {
        return at;
      }
      at = -at - 1;
      if (size == questions.length) {
        int n = size * 2;
        questions = java.util.Arrays.copyOf(questions, n);
        sums = java.util.Arrays.copyOf(sums, n);
        counts = java.util.Arrays.copyOf(counts, n);
        squares = java.util.Arrays.copyOf(squares, n);
        parts = java.util.Arrays.copyOf(parts, n * width);
      }
      if (at < size) {
        System.arraycopy(questions, at, questions, at + 1, size - at);
        System.arraycopy(sums, at, sums, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        System.arraycopy(squares, at, squares, at + 1, size - at);
        System.arraycopy(parts, at * width, parts, (at + 1) * width, (size - at) * width);
      }
      questions[at] = question;
      sums[at] = 0;
      counts[at] = 0;
      squares[at] = 0;
      java.util.Arrays.fill(parts, at * width, (at + 1) * width, 0);
      size++;
      return at;
    }

    void add(int question, long value, int[] valueParts) {
      int at = slot(question, valueParts.length);
      sums[at] += value;
      counts[at]++;
      squares[at] += value * value;
      for (int i = 0; i < width; i++) {
        parts[at * width + i] += valueParts[i];
      }
    }

    /** This and {@code other} in one sorted pass. */
    Clusters plus(Clusters other) {
      if (size > 0 && other.size > 0 && width != other.width) {
        throw new IllegalArgumentException("merging clusters of " + width + " and " + other.width + " parts");
      }
      Clusters m = new Clusters();
      m.width = size > 0 ? width : other.width;
      int w = m.width;
      int n = size + other.size;
      m.questions = new int[Math.max(n, 4)];
      m.sums = new long[m.questions.length];
      m.counts = new int[m.questions.length];
      m.squares = new long[m.questions.length];
      m.parts = new long[m.questions.length * w];
      int i = 0;
      int j = 0;
      while (i < size || j < other.size) {
        boolean mine = j == other.size || i < size && questions[i] <= other.questions[j];
        boolean theirs = i == size || j < other.size && other.questions[j] <= questions[i];
        int k = m.size++;
        m.questions[k] = mine ? questions[i] : other.questions[j];
        if (mine) {
          m.sums[k] += sums[i];
          m.counts[k] += counts[i];
          m.squares[k] += squares[i];
          for (int p = 0; p < w; p++) {
            m.parts[k * w + p] += parts[i * w + p];
          }
          i++;
        }
        if (theirs) {
          m.sums[k] += other.sums[j];
          m.counts[k] += other.counts[j];
          m.squares[k] += other.squares[j];
          for (int p = 0; p < w; p++) {
            m.parts[k * w + p] += other.parts[j * w + p];
          }
          j++;
        }
      }
      return m;
    }
  }

  static final class ClustersFn extends Combine.CombineFn<Value, Clusters, ClusterHistogram> {
    @Override
    public Clusters createAccumulator() {
      return new Clusters();
    }

    @Override
    public Clusters addInput(Clusters acc, Value value) {
      acc.add(value.question(), value.value(), value.parts());
      return acc;
    }

    @Override
    public Clusters mergeAccumulators(Iterable<Clusters> accs) {
      return CombineGroups.mergeIntoFirst(accs, Clusters::plus, Clusters::new);
    }

    @Override
    public ClusterHistogram extractOutput(Clusters acc) {
      ClusterHistogram h = new ClusterHistogram();
      int w = acc.width;
      for (int i = 0; i < acc.size; i++) {
        h.add(new Cluster(acc.sums[i], acc.counts[i], acc.squares[i],
            java.util.Arrays.copyOfRange(acc.parts, i * w, (i + 1) * w)));
      }
      return h;
    }

    @Override
    public Coder<Clusters> getAccumulatorCoder(CoderRegistry registry, Coder<Value> inputCoder)
        throws CannotProvideCoderException {
      return ClustersCoder.INSTANCE;
    }
  }

  private static final class ClustersCoder extends AtomicCoder<Clusters> {
    static final ClustersCoder INSTANCE = new ClustersCoder();

    @Override
    public void encode(Clusters c, OutputStream out) throws IOException {
      Wire.integer(c.size, out);
      Wire.integer(c.width, out);
      for (int i = 0; i < c.size; i++) {
        Wire.integer(c.questions[i], out);
        Wire.longValue(c.sums[i], out);
        Wire.integer(c.counts[i], out);
        Wire.longValue(c.squares[i], out);
        for (int p = 0; p < c.width; p++) {
          Wire.longValue(c.parts[i * c.width + p], out);
        }
      }
    }

    @Override
    public Clusters decode(InputStream in) throws IOException {
      Clusters c = new Clusters();
      int n = Wire.integer(in);
      int width = Wire.integer(in);
      for (int i = 0; i < n; i++) {
        int at = c.slot(Wire.integer(in), width);
        c.sums[at] = Wire.longValue(in);
        c.counts[at] = Wire.integer(in);
        c.squares[at] = Wire.longValue(in);
        for (int p = 0; p < width; p++) {
          c.parts[at * width + p] = Wire.longValue(in);
        }
      }
      return c;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
