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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Runs every tuple's chain of model calls (its condition's steps, then one judge call per panel
 * judge) with many calls in flight. A DoFn that blocks on one call per element only gets as much
 * concurrency as the runner has threads, so each element's chain is started in {@code
 * @ProcessElement} and runs asynchronously on per-endpoint pools sized by the pipeline file's limits;
 * {@code @FinishBundle} waits for the bundle's chains and outputs them (as Scio's
 * BaseAsyncLookupDoFn). Chains start through one window per limits bucket of the tuple's model (twice
 * the bucket's concurrency): a bucket whose calls are slow holds only its own window, never the other
 * endpoints' next calls, and a large bundle never sits in memory as running calls. Tuples beyond a
 * window wait in the DoFn, the longest chains (most dependent calls) first, so a multi-step condition
 * does not start last and end the run late; latencies are never guessed. A retried bundle repeats no
 * successful call when the run has a response cache. Every tuple comes out: graded, or carrying the
 * failure that stopped it.
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
    PCollection<EvaluationTuple> counted = tuples
        .apply("CountTuples", ParDo.of(new CountTuplesFn()))
        .setCoder(EvaluationTuple.coder());
    if (calls.workers() > 1) {
      counted = counted.apply(new SpreadOverWorkers(calls.workers()));
    }
    return counted
        .apply("CallModels", ParDo.of(new CallModelsFn(definition, calls)))
        .setCoder(EvaluationTuple.coder());
  }

  /**
   * On a cluster, the tuples grouped under buckets of their keys so that every worker calls: they
   * come from one benchmark file, read by one subtask, and the calls chained after that reader all ran
   * there, with one worker's share of the limits and of the budget. A GroupByKey hands each bucket to
   * the subtask its key hashes to; Reshuffle would not (Flink's runner turns it into a rebalance that
   * keeps the reader's subtasks). That the calling stage has subtasks to spread over at all is the
   * job's configuration ({@code FlinkRestarts}: Flink's batch scheduler would size it by its bytes).
   * Sixteen buckets a worker keep the load nearly even however the keys hash (eight in all put five on
   * one subtask of two). Only with several workers: on one JVM the calls already share one window,
   * and a group per bucket would only cut its bundles.
   */
  static final class SpreadOverWorkers extends PTransform<PCollection<EvaluationTuple>, PCollection<EvaluationTuple>> {
    private final int buckets;

    SpreadOverWorkers(int workers) {
      super("SpreadOverWorkers");
      this.buckets = 16 * workers;
    }

    @Override
    public PCollection<EvaluationTuple> expand(PCollection<EvaluationTuple> tuples) {
      int n = buckets;
      return tuples
          .apply("KeyByBucket", WithKeys.of((EvaluationTuple t) -> Math.floorMod(t.key().hashCode(), n))
              .withKeyType(TypeDescriptors.integers()))
          .setCoder(KvCoder.of(VarIntCoder.of(), EvaluationTuple.coder()))
          .apply("GroupByBucket", GroupByKey.create())
          .apply("Ungroup", Values.create())
          .apply("Tuples", Flatten.iterables())
          .setCoder(EvaluationTuple.coder());
    }
  }

  static final class CountTuplesFn extends DoFn<EvaluationTuple, EvaluationTuple> {
    private final Counter tuplesIn = RunMetric.TUPLES_IN.counter();

    @ProcessElement
    public void process(@Element EvaluationTuple t, OutputReceiver<EvaluationTuple> out) {
      tuplesIn.inc();
      out.output(t);
    }
  }

  /**
   * Chains of one limits bucket one DoFn instance runs at once: twice the calls the bucket allows in
   * flight, so the endpoint has its next call queued when one ends.
   */
  static Map<String, Integer> windows(PipelineDefinition definition) {
    Map<String, Integer> windows = new HashMap<>();
    for (ModelSpec m : definition.models()) {
      // A batched model's calls wait in its provider's batch, not on the endpoint: every held tuple may
      // start, so a stage's calls go out in as few batches as the bundle allows.
      windows.merge(m.limitKey(), m.batched() ? MAX_HELD : Math.max(2, 2 * definition.limit(m).concurrency()),
          Math::max);
    }
    return windows;
  }

  /**
   * Tuples one DoFn instance holds, waiting or running, before {@code @ProcessElement} blocks: a
   * bound on memory (a waiting tuple is its question's text, a few kB), not on calls.
   */
  static final int MAX_HELD = 10_000;

  /** A tuple's chain, to be completed when its last call is done, and where its element lived. */
  private record Pending(CompletableFuture<EvaluationTuple> result, Instant timestamp, BoundedWindow window) {}

  /** A tuple waiting for its bucket's window: the dependent calls it makes, then arrival order. */
  private record Waiting(EvaluationTuple tuple, int calls, long arrival, CompletableFuture<EvaluationTuple> result) {}

  /** Longest chain first: without latencies, the number of dependent calls is what says it. */
  private static final Comparator<Waiting> LONGEST_FIRST =
      Comparator.comparingInt(Waiting::calls).reversed().thenComparingLong(Waiting::arrival);

  /** One limits bucket's window: chains running in their steps, and the tuples waiting to start. */
  private static final class Window {
    final int size;
    int running;
    boolean draining;
    final PriorityQueue<Waiting> waiting = new PriorityQueue<>(LONGEST_FIRST);

    Window(int size) {
      this.size = size;
    }
  }

  static final class CallModelsFn extends DoFn<EvaluationTuple, EvaluationTuple> {
    private final PipelineDefinition definition;
    private final ModelCalls calls;
    private final RunSteps steps;
    private final JudgmentParser parser;
    private final RuleScorer rule;
    private final Map<String, Integer> windowSizes;
    private final Counter tuplesGraded = RunMetric.TUPLES_GRADED.counter();
    private final Counter tuplesFailed = RunMetric.TUPLES_FAILED.counter();
    private final Counter modelCalls = RunMetric.MODEL_CALLS.counter();
    private final Counter cacheHits = RunMetric.CACHE_HITS.counter();
    private final Counter judgeFailures = RunMetric.JUDGMENTS_FAILED.counter();
    private final Counter throttled = Metrics.counter(
        Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME);
    private final Distribution latency = RunMetric.CALL_LATENCY_MS.distribution();
    private final Distribution bundleTuples = RunMetric.BUNDLE_TUPLES.distribution();
    private final Distribution chainsInFlight = RunMetric.CHAINS_IN_FLIGHT.distribution();
    private transient ModelCalls.Session session;
    private transient Semaphore held;
    private transient Map<String, Window> windows;
    private transient List<Pending> pending;
    private transient AtomicInteger running;
    private transient long arrivals;

    CallModelsFn(PipelineDefinition definition, ModelCalls calls) {
      this.definition = definition;
      this.calls = calls;
      this.steps = new RunSteps(definition);
      this.parser = new JudgmentParser(definition.rubric());
      this.rule = definition.scorerOrDefault().ruleBased() ? new RuleScorer(definition.scorerOrDefault()) : null;
      this.windowSizes = windows(definition);
    }

    @Setup
    public void setup() {
      session = calls.open();
      held = new Semaphore(MAX_HELD);
      windows = new HashMap<>();
      windowSizes.forEach((k, n) -> windows.put(k, new Window(n)));
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
      held.acquire();
      chainsInFlight.update(running.incrementAndGet());
      RunLedger ledger = session.ledger();
      CompletableFuture<EvaluationTuple> result = new CompletableFuture<>();
      CompletableFuture<EvaluationTuple> f = result.whenComplete((r, e) -> {
        running.decrementAndGet();
        held.release();
        ledger.tupleDone(r != null && r.failure() == null, t.key());
      });
      pending.add(new Pending(f, timestamp, window));
      // A recorded answer of a model the file does not list (re-grading) makes no step call: no window bounds it.
      ModelSpec model = definition.anyModel(t.model()).orElse(null);
      Window w = windows.computeIfAbsent(model == null ? "" : model.limitKey(), k -> new Window(
          model == null || model.batched() ? MAX_HELD : Math.max(2, 2 * definition.limit(model).concurrency())));
      synchronized (w) {
        w.waiting.add(new Waiting(t, dependentCalls(t), arrivals++, result));
      }
      drain(w);
      throttled.inc(session.drainThrottledMillis());
    }

    /** Sequential calls a tuple still makes: its condition's steps not yet done, then the panel (side by side). */
    private int dependentCalls(EvaluationTuple t) {
      int n = 0;
      for (String stage : RunSteps.stages(definition.condition(t.condition()).orElseThrow())) {
        n += t.output(stage) == null ? 1 : 0;
      }
      return n + (rule == null && !definition.panel().isEmpty() ? 1 : 0);
    }

    /**
     * Starts waiting tuples while the window has room. One thread drains a window at a time (others
     * leave their freed room to it), so a chain that completes at once does not recurse into the next.
     */
    private void drain(Window w) {
      synchronized (w) {
        if (w.draining) {
          return;
        }
        w.draining = true;
      }
      while (true) {
        Waiting next;
        synchronized (w) {
          if (w.running >= w.size || w.waiting.isEmpty()) {
            w.draining = false;
            return;
          }
          next = w.waiting.poll();
          w.running++;
        }
        start(w, next);
      }
    }

    /** Runs the tuple's steps in its window, then frees the window for the judging (another bucket). */
    private void start(Window w, Waiting job) {
      CompletableFuture<EvaluationTuple> stepped;
      try {
        stepped = steps(job.tuple());
      } catch (RuntimeException e) {
        stepped = CompletableFuture.failedFuture(e);
      }
      stepped.whenComplete((r, e) -> {
        synchronized (w) {
          w.running--;
        }
        drain(w);
      }).thenCompose(this::score).whenComplete((r, e) -> {
        if (e != null) {
          job.result().completeExceptionally(e);
        } else {
          job.result().complete(r);
        }
      });
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
      CallsMade.count(definition, t);
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
          RunMetric.failed(t.failure().kind()).inc();
        }
      }
    }

    /** Makes the call for a tuple's next step; a failure stops the tuple. */
    private CompletableFuture<EvaluationTuple> call(Call call, EvaluationTuple t) {
      return session.call(call).thenApply(o -> steps.withOutcome(t, call, o));
    }

    /** The condition's calls, one after the other. */
    private CompletableFuture<EvaluationTuple> steps(EvaluationTuple start) {
      PipelineDefinition.Condition c = definition.condition(start.condition()).orElseThrow();
      CompletableFuture<EvaluationTuple> f = CompletableFuture.completedFuture(start);
      for (String stage : RunSteps.stages(c)) {
        // A stage whose output the tuple already carries (a recorded answer being re-graded) is not re-run.
        f = f.thenCompose(t -> t.failure() != null || t.output(stage) != null
            ? CompletableFuture.completedFuture(t) : call(steps.call(stage, t), t));
      }
      return f;
    }

    /** The scorer on the graded text: a rule here, or the panel's calls side by side. */
    private CompletableFuture<EvaluationTuple> score(EvaluationTuple t) {
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
    }
  }

}
