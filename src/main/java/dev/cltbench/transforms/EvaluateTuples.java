package dev.cltbench.transforms;

import dev.cltbench.clients.Call;
import dev.cltbench.clients.CallOutcome;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Runs every tuple's chain of model calls (its condition's steps, then one judge call per panel
 * judge) with many calls in flight. A DoFn that blocks on one call per element only gets as much
 * concurrency as the runner has threads, so each element's chain is started in {@code
 * @ProcessElement} and runs asynchronously on per-endpoint pools sized by the pipeline file's limits;
 * {@code @FinishBundle} waits for the bundle's chains and outputs them (as Scio's
 * BaseAsyncLookupDoFn). A semaphore bounds the chains one DoFn instance has started and not finished,
 * so a large bundle never sits in memory as running calls. A retried bundle repeats no successful call
 * when the run has a response cache. Every tuple comes out: graded, or carrying the failure that
 * stopped it.
 */
public final class EvaluateTuples extends PTransform<PCollection<EvaluationTuple>, PCollection<EvaluationTuple>> {
  private final PipelineDefinition definition;
  private final ModelCalls calls;

  public EvaluateTuples(PipelineDefinition definition, ModelCalls calls) {
    super("EvaluateTuples");
    this.definition = definition;
    this.calls = calls;
  }

  @Override
  public PCollection<EvaluationTuple> expand(PCollection<EvaluationTuple> tuples) {
    return tuples
        .apply("CountTuples", ParDo.of(new CountTuplesFn()))
        .setCoder(EvaluationTuple.coder())
        .apply("CallModels", ParDo.of(new CallModelsFn(definition, calls)))
        .setCoder(EvaluationTuple.coder());
  }

  static final class CountTuplesFn extends DoFn<EvaluationTuple, EvaluationTuple> {
    private final Counter tuplesIn = Metrics.counter("run", "tuples_in");

    @ProcessElement
    public void process(@Element EvaluationTuple t, OutputReceiver<EvaluationTuple> out) {
      tuplesIn.inc();
      out.output(t);
    }
  }

  /**
   * Chains one DoFn instance may have started and not finished: twice the calls the definition's
   * endpoints allow in flight together, so each endpoint has its next call queued when one ends.
   */
  static int maxPendingChains(PipelineDefinition definition) {
    java.util.Map<String, Integer> buckets = new java.util.HashMap<>();
    List<ModelSpec> all = new ArrayList<>(definition.models());
    all.addAll(definition.panel());
    for (ModelSpec m : all) {
      buckets.put(m.limitKey(), definition.limit(m).concurrency());
    }
    int sum = buckets.values().stream().mapToInt(Integer::intValue).sum();
    return Math.max(2, 2 * sum);
  }

  /** A started chain and where its element lived. */
  private record Pending(CompletableFuture<EvaluationTuple> result, Instant timestamp, BoundedWindow window) {}

  static final class CallModelsFn extends DoFn<EvaluationTuple, EvaluationTuple> {
    private final PipelineDefinition definition;
    private final ModelCalls calls;
    private final RunSteps steps;
    private final JudgmentParser parser;
    private final RuleScorer rule;
    private final int maxPending;
    private final Counter tuplesGraded = Metrics.counter("run", "tuples_graded");
    private final Counter tuplesFailed = Metrics.counter("run", "tuples_failed");
    private final Counter modelCalls = Metrics.counter("run", "model_calls");
    private final Counter cacheHits = Metrics.counter("run", "cache_hits");
    private final Counter judgeFailures = Metrics.counter("run", "judgments_failed");
    private final Counter throttled = Metrics.counter(
        Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME);
    private final Distribution latency = Metrics.distribution("run", "call_latency_ms");
    private final Distribution bundleTuples = Metrics.distribution("run", "bundle_tuples");
    private final Distribution chainsInFlight = Metrics.distribution("run", "chains_in_flight");
    private transient ModelCalls.Session session;
    private transient Semaphore permits;
    private transient List<Pending> pending;
    private transient AtomicInteger running;

    CallModelsFn(PipelineDefinition definition, ModelCalls calls) {
      this.definition = definition;
      this.calls = calls;
      this.steps = new RunSteps(definition);
      this.parser = new JudgmentParser(definition.rubric());
      this.rule = definition.scorerOrDefault().ruleBased() ? new RuleScorer(definition.scorerOrDefault()) : null;
      this.maxPending = maxPendingChains(definition);
    }

    @Setup
    public void setup() {
      session = calls.open();
      permits = new Semaphore(maxPending);
      running = new AtomicInteger();
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element EvaluationTuple t, @Timestamp Instant timestamp, BoundedWindow window)
        throws InterruptedException {
      // Waiting here is back-pressure from this DoFn's own bound, not a provider's throttling.
      permits.acquire();
      chainsInFlight.update(running.incrementAndGet());
      RunLedger ledger = session.ledger();
      CompletableFuture<EvaluationTuple> f;
      try {
        f = chain(t);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f = f.whenComplete((r, e) -> {
        running.decrementAndGet();
        permits.release();
        ledger.tupleDone(r != null && r.failure() == null);
      });
      pending.add(new Pending(f, timestamp, window));
      throttled.inc(session.drainThrottledMillis());
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws Exception {
      List<Pending> bundle = pending;
      pending = null;
      bundleTuples.update(bundle.size());
      try {
        for (Pending p : bundle) {
          // A chain never completes exceptionally on a call's failure (that is a failed tuple); an
          // exception here is a bug, and failing the bundle makes the runner retry it.
          EvaluationTuple t = p.result().get();
          account(t);
          context.output(t, p.timestamp(), p.window());
        }
      } finally {
        throttled.inc(session.drainThrottledMillis());
      }
    }

    @Teardown
    public void teardown() {
      if (session != null) {
        session.close();
        session = null;
      }
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

    /** Makes the call for a tuple's next step; a failure stops the tuple. */
    private CompletableFuture<EvaluationTuple> call(Call call, EvaluationTuple t) {
      return session.call(call).thenApply(o -> steps.withOutcome(t, call, o));
    }

    private CompletableFuture<EvaluationTuple> chain(EvaluationTuple start) {
      PipelineDefinition.Condition c = definition.condition(start.condition()).orElseThrow();
      CompletableFuture<EvaluationTuple> f = CompletableFuture.completedFuture(start);
      for (String stage : RunSteps.stages(c)) {
        // A stage whose output the tuple already carries (a recorded answer being re-graded) is not re-run.
        f = f.thenCompose(t -> t.failure() != null || t.output(stage) != null
            ? CompletableFuture.completedFuture(t) : call(steps.call(stage, t), t));
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
        List<Call> judgeCalls = new ArrayList<>();
        List<CompletableFuture<CallOutcome>> verdicts = new ArrayList<>();
        for (ModelSpec judge : definition.panel()) {
          judgeCalls.add(steps.judgeCall(judge, evaluated));
          verdicts.add(session.call(judgeCalls.get(judgeCalls.size() - 1)));
        }
        return CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new)).thenApply(v -> {
          EvaluationTuple judged = evaluated;
          List<String> reasons = new ArrayList<>();
          for (int i = 0; i < verdicts.size(); i++) {
            String judge = definition.panel().get(i).name();
            CallOutcome r = verdicts.get(i).join();
            Judgment j;
            if (r.failure() != null) {
              j = Judgment.failed(judge, "call failed: " + r.failure().reason());
              EvaluationTuple.Step cost = steps.failure(judgeCalls.get(i), r.failure()).call();
              if (cost != null) {
                judged = judged.withStep(cost); // kept for what it cost
              }
            } else {
              judged = judged.withStep(RunSteps.step(judgeCalls.get(i), r.reply(), null));
              j = parser.parse(judge, r.reply().text());
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
