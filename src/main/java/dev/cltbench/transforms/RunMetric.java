package dev.cltbench.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The Beam metrics an evaluation counts, by name in one place: the transforms that make calls
 * increment them, the launcher reads them back from the finished pipeline by the same constant, so
 * a renamed metric cannot silently read as zero. Any way of making the calls (live or in provider
 * batches) counts with these.
 */
public enum RunMetric {
  TUPLES_IN("tuples_in"),
  TUPLES_GRADED("tuples_graded"),
  TUPLES_FAILED("tuples_failed"),
  MODEL_CALLS("model_calls"),
  CACHE_HITS("cache_hits"),
  JUDGMENTS_FAILED("judgments_failed"),
  /** Distributions: the client's latency per call, tuples per bundle, chains running when one starts. */
  CALL_LATENCY_MS("call_latency_ms"),
  BUNDLE_TUPLES("bundle_tuples"),
  CHAINS_IN_FLIGHT("chains_in_flight");

  public static final String NAMESPACE = "run";

  /** Failed tuples per failure kind: truncated, no_text, refused, budget. */
  public enum FailureKind {
    TRUNCATED, NO_TEXT, REFUSED, BUDGET;

    public MetricName metricName() {
      return failedKind(name().toLowerCase(java.util.Locale.ROOT));
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String name;

  RunMetric(String name) {
    this.name = name;
  }

  public MetricName metricName() {
    return MetricName.named(NAMESPACE, name);
  }

  public Counter counter() {
    return Metrics.counter(NAMESPACE, name);
  }

  public Distribution distribution() {
    return Metrics.distribution(NAMESPACE, name);
  }

  /** The counter of failed tuples of one kind (any kind a failure carries, listed or not). */
  public static Counter failed(String kind) {
    return Metrics.counter(NAMESPACE, "failed_" + kind);
  }

  /**
   * A finished job's value of a metric: committed where the runner reports it, else attempted. The
   * DirectRunner commits a bundle's counters before its outputs go downstream, but folds them into
   * "attempted" only after that, in the executor's last step: counters a DoFn increments in
   * {@code @FinishBundle} (all of {@code EvaluateTuples}') can be missing from "attempted" when {@code
   * waitUntilFinish} returns. Flink reports attempted only, complete when the job has finished.
   */
  public static <T> T finished(MetricResult<T> r) {
    T committed;
    try {
      committed = r.getCommittedOrNull();
    } catch (UnsupportedOperationException e) {
      committed = null;
    }
    return committed != null ? committed : r.getAttempted();
  }

  static MetricName failedKind(String kind) {
    return MetricName.named(NAMESPACE, "failed_" + kind);
  }
}
