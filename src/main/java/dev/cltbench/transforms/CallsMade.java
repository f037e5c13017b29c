package dev.cltbench.transforms;

import dev.cltbench.clients.RunLedger;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Per model, the calls whose replies reached the run's tuples, as Beam counters: what {@code
 * tables/costs.csv} counts as made. A runner reports the counters of the attempt that finished, so a
 * worker's calls lost with it are not here; the run's call log has them, and the difference is what a
 * restart made twice ({@code pipelines.RunSpend}).
 */
public final class CallsMade {
  static final String NAMESPACE = "calls_made";
  /** The counts per model, in this order. */
  public static final List<String> FIELDS = List.of("calls", "failed_calls", "attempts", "input_tokens",
      "output_tokens", "reasoning_tokens", "billed_input_tokens", "billed_output_tokens", "cost_micros",
      "failed_cost_micros");

  private CallsMade() {}

  /** Counts a tuple's made calls (not cached, at least one HTTP attempt); on the DoFn's thread. */
  static void count(PipelineDefinition definition, EvaluationTuple t) {
    List<EvaluationTuple.Step> calls = new ArrayList<>(t.steps());
    if (t.failure() != null && t.failure().call() != null) {
      calls.add(t.failure().call());
    }
    for (EvaluationTuple.Step s : calls) {
      if (s.cached() || s.attempts() <= 0) {
        continue;
      }
      var spec = definition.anyModel(s.model()).orElse(null);
      long micros = spec == null ? 0 : RunLedger.costMicros(spec, s.billedInput(), s.billedOutput());
      boolean failed = s.failure() != null;
      long[] v = {1, failed ? 1 : 0, s.attempts(), s.inputTokens(), s.outputTokens(), s.reasoningTokens(),
          s.billedInput(), s.billedOutput(), micros, failed ? micros : 0};
      for (int i = 0; i < v.length; i++) {
        if (v[i] != 0) {
          Metrics.counter(NAMESPACE, s.model() + "|" + FIELDS.get(i)).inc(v[i]);
        }
      }
    }
  }

  /** The counts per model (in {@link #FIELDS} order) the runner reports for the finished job. */
  public static Map<String, long[]> of(PipelineResult result) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace(NAMESPACE)).build());
    Map<String, long[]> out = new TreeMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      String name = c.getName().getName();
      int bar = name.lastIndexOf('|');
      int field = FIELDS.indexOf(name.substring(bar + 1));
      if (bar < 0 || field < 0) {
        continue;
      }
      out.computeIfAbsent(name.substring(0, bar), k -> new long[FIELDS.size()])[field] += RunMetric.finished(c);
    }
    return out;
  }
}
