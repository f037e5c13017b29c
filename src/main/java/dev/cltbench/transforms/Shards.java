package dev.cltbench.transforms;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * How many shard keys the report's aggregations travel under, and a key's shard. On the DirectRunner a
 * GroupByKey emits a bundle per key and every later step pays per bundle, so one shard per worker thread;
 * elsewhere (Flink chains steps, and a cluster's parallelism is not known here) enough for a cluster's
 * workers to share the work.
 */
public final class Shards {
  /** Shards on a runner other than the DirectRunner. */
  static final int DISTRIBUTED = 32;

  private Shards() {}

  public static int of(PipelineOptions options) {
    if (DirectRunner.class.equals(options.getRunner())) {
      return Math.max(1, options.as(DirectOptions.class).getTargetParallelism());
    }
    return DISTRIBUTED;
  }

  /**
   * The shard of {@code key}: a hash of its encoding, the same on every worker and JVM (an enum's or an
   * object's own hashCode is not). The coder must be deterministic, as a GroupByKey's key coder is.
   */
  public static <K> int shard(Coder<K> coder, K key, int shards) {
    try {
      return Math.floorMod(Arrays.hashCode(CoderUtils.encodeToByteArray(coder, key)), shards);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode the key " + key, e);
    }
  }

  /** The shards of a small key space, each key encoded once per worker (not once per element). */
  public static final class Of<K> implements java.io.Serializable {
    private final Coder<K> coder;
    private final int shards;
    private transient java.util.Map<K, Integer> known;

    public Of(Coder<K> coder, int shards) {
      this.coder = coder;
      this.shards = shards;
    }

    public int of(K key) {
      if (known == null) {
        known = new java.util.HashMap<>();
      }
      return known.computeIfAbsent(key, k -> shard(coder, k, shards));
    }
  }
}
