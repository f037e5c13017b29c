package dev.cltbench.transforms;

import dev.cltbench.clients.EndpointLimits;
import dev.cltbench.clients.ModelCalls;
import dev.cltbench.clients.ResponseCache;
import dev.cltbench.clients.RunLedger;
import dev.cltbench.study.Judgment;
import dev.cltbench.judge.JudgmentParser;
import dev.cltbench.judge.RuleScorer;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Runs every tuple's chain of model calls (its condition's steps, then one judge call per panel
 * judge) with many calls in flight. A DoFn that blocks on one call per element only gets as much
 * concurrency as the runner has threads, so tuples are spread over a few shards and each shard's
 * tuples run as asynchronous chains on per-endpoint pools sized by the pipeline file's limits.
 * Every tuple comes out: graded, or carrying the failure that stopped it.
 */
public final class EvaluateTuples extends PTransform<PCollection<EvaluationTuple>, PCollection<EvaluationTuple>> {
  private final PipelineDefinition definition;
  private final ModelCalls calls;
  private final int shards;

  public EvaluateTuples(PipelineDefinition definition, ModelCalls calls, int shards) {
    super("EvaluateTuples");
    this.definition = definition;
    this.calls = calls;
    this.shards = shards;
  }

  @Override
  public PCollection<EvaluationTuple> expand(PCollection<EvaluationTuple> tuples) {
    return tuples
        .apply("SpreadOverShards", ParDo.of(new DoFn<EvaluationTuple, KV<Integer, EvaluationTuple>>() {
          private final Counter tuplesIn = Metrics.counter("run", "tuples_in");

          @ProcessElement
          public void process(@Element EvaluationTuple t, OutputReceiver<KV<Integer, EvaluationTuple>> out) {
            tuplesIn.inc();
            out.output(KV.of(Math.floorMod(t.key().hashCode(), shards), t));
          }
        }))
        .setCoder(KvCoder.of(VarIntCoder.of(), EvaluationTuple.coder()))
        .apply("GroupShards", GroupByKey.create())
        .apply("CallModels", ParDo.of(new CallModelsFn(definition, calls)))
        .setCoder(EvaluationTuple.coder());
  }

  static final class CallModelsFn extends DoFn<KV<Integer, Iterable<EvaluationTuple>>, EvaluationTuple> {
    private final PipelineDefinition definition;
    private final ModelCalls calls;
    private final RunSteps steps;
    private final JudgmentParser parser;
    private final RuleScorer rule;
    private final Counter tuplesGraded = Metrics.counter("run", "tuples_graded");
    private final Counter tuplesFailed = Metrics.counter("run", "tuples_failed");
    private final Counter modelCalls = Metrics.counter("run", "model_calls");
    private final Counter cacheHits = Metrics.counter("run", "cache_hits");
    private final Counter judgeFailures = Metrics.counter("run", "judgments_failed");
    private final Counter throttled = Metrics.counter(
        Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME);
    private final Distribution latency = Metrics.distribution("run", "call_latency_ms");
    private transient ModelCalls.Session session;

    CallModelsFn(PipelineDefinition definition, ModelCalls calls) {
      this.definition = definition;
      this.calls = calls;
      this.steps = new RunSteps(definition);
      this.parser = new JudgmentParser(definition.rubric());
      this.rule = definition.scorerOrDefault().ruleBased() ? new RuleScorer(definition.scorerOrDefault()) : null;
    }

    @Setup
    public void setup() {
      session = calls.open();
    }

    @Teardown
    public void teardown() {
      if (session != null) {
        session.close();
      }
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<EvaluationTuple>> shard,
        OutputReceiver<EvaluationTuple> out) throws Exception {
      List<CompletableFuture<EvaluationTuple>> running = new ArrayList<>();
      RunLedger ledger = calls.ledger();
      for (EvaluationTuple t : shard.getValue()) {
        running.add(chain(t).whenComplete((r, e) -> ledger.tupleDone(r != null && r.failure() == null)));
      }
      for (CompletableFuture<EvaluationTuple> f : running) {
        EvaluationTuple t = f.get();
        account(t);
        out.output(t);
      }
      throttled.inc(session.drainThrottledMillis());
    }

    /** Counters are updated here, on the DoFn's thread, where Beam's metrics container lives. */
    private void account(EvaluationTuple t) {
      for (EvaluationTuple.Step s : t.steps()) {
        if (s.cached()) {
          cacheHits.inc();
        } else if (s.failure() != null) {
          modelCalls.inc(s.attempts() > 0 ? 1 : 0);
        } else {
          modelCalls.inc();
          latency.update(s.latencyMs());
        }
      }
      // The call that stopped the tuple was made too (and billed, when its reply said what it used).
      if (t.failure() != null && t.failure().call() != null && t.failure().call().attempts() > 0) {
        modelCalls.inc();
      }
      for (Judgment j : t.judgments()) {
        if (!j.ok()) {
          judgeFailures.inc();
        }
      }
      if (t.failure() == null) {
        tuplesGraded.inc();
      } else {
        tuplesFailed.inc();
        if (t.failure().kind() != null) {
          // Per kind (truncated, no_text, refused, budget), so the run can say why without a scan.
          Metrics.counter("run", "failed_" + t.failure().kind()).inc();
        }
      }
    }

    private CompletableFuture<EvaluationTuple> chain(EvaluationTuple start) {
      PipelineDefinition.Condition c = definition.condition(start.condition()).orElseThrow();
      CompletableFuture<EvaluationTuple> f = CompletableFuture.completedFuture(start);
      for (String stage : RunSteps.stages(c)) {
        // A stage whose output the tuple already carries (a recorded answer being re-graded) is not re-run.
        f = f.thenCompose(t -> t.failure() != null || t.output(stage) != null
            ? CompletableFuture.completedFuture(t) : session.call(steps.call(stage, t), t));
      }
      return f.thenCompose(t -> {
        if (t.failure() != null) {
          return CompletableFuture.completedFuture(t);
        }
        EvaluationTuple evaluated = steps.withEvaluatedText(t);
        if (rule != null) {
          // A rule scores here, with no call: the verdict is the tuple's grade.
          Judgment j = rule.score(evaluated.evaluatedText(), evaluated.referenceAnswer());
          EvaluationTuple scored = evaluated.withJudgment(j);
          return CompletableFuture.completedFuture(j.ok() ? scored : scored.withFailure(
              new EvaluationTuple.Failure("score", j.judge(), -1, j.failure())));
        }
        List<CompletableFuture<ModelCalls.Result>> verdicts = new ArrayList<>();
        for (ModelSpec judge : definition.panel()) {
          verdicts.add(session.callForResult(steps.judgeCall(judge, evaluated)));
        }
        return CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new)).thenApply(v -> {
          EvaluationTuple judged = evaluated;
          List<String> reasons = new ArrayList<>();
          for (int i = 0; i < verdicts.size(); i++) {
            String judge = definition.panel().get(i).name();
            ModelCalls.Result r = verdicts.get(i).join();
            Judgment j;
            if (r.failure() != null) {
              j = Judgment.failed(judge, "call failed: " + r.failure().reason());
              if (r.failure().call() != null) {
                judged = judged.withStep(r.failure().call()); // kept for what it cost
              }
            } else {
              judged = judged.withStep(r.step());
              j = parser.parse(judge, r.step().output());
            }
            judged = judged.withJudgment(j);
            if (!j.ok()) {
              reasons.add(judge + ": " + j.failure());
            }
          }
          if (reasons.size() == verdicts.size()) {
            judged = judged.withFailure(new EvaluationTuple.Failure("judge",
                definition.panel().get(0).provider(), -1, String.join("; ", reasons)));
          }
          return judged;
        });
      });
    }
  }

}
