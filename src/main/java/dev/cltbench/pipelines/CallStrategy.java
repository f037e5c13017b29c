package dev.cltbench.pipelines;

import dev.cltbench.clients.ModelCalls;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * How an evaluation's model calls are made: the one place where live calls and provider batches
 * differ. The launcher resolves the strategy once ({@link #of}), builds the same graph around it
 * (tuples in; the study layout, failures and costs out) and reads the same metrics after it.
 *
 * <p>A strategy's transform takes every tuple and gives every tuple back, graded or carrying the
 * failure that stopped it, counting {@link dev.cltbench.transforms.RunMetric}'s counters as it goes
 * (tuples in, graded, failed, model calls, cache hits), so the run's counts add up whatever made the
 * calls; it makes each call through {@link Context#calls()}, which owns the cache, the budget and the
 * limits.
 */
public interface CallStrategy {
  /** What a strategy is given: the resolved options and definition, the calls, the cache directory. */
  record Context(EvaluationOptions options, PipelineDefinition definition, ModelCalls calls,
      /** absolute (workers resolve it), or null when the run has no cache */
      String cache) {}

  /** The strategy's name, as the run option and the manifest say it ("live"). */
  String name();

  /** Every tuple in, every tuple out graded or with its failure. */
  PTransform<PCollection<EvaluationTuple>, PCollection<EvaluationTuple>> evaluate(Context context);

  /** Each call made as its tuple reaches it, many in flight per worker. */
  CallStrategy LIVE = new CallStrategy() {
    @Override
    public String name() {
      return "live";
    }

    @Override
    public PTransform<PCollection<EvaluationTuple>, PCollection<EvaluationTuple>> evaluate(Context context) {
      return new dev.cltbench.transforms.EvaluateTuples(context.definition(), context.calls());
    }
  };

  /**
   * The strategy the options and the pipeline file ask for. Only live calls exist yet; provider
   * batches join here as a second strategy.
   */
  static CallStrategy of(EvaluationOptions options, PipelineDefinition definition) {
    return LIVE;
  }
}
