package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PipelineDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --budgetUsd on a cluster: each worker JVM keeps its share (as with the file's limits), so N workers
 * together never spend past the budget; once each kept the whole budget, N times the cap in all.
 * Calls are made one after another against a client that reports 9,000 output tokens a call
 * (emu-openai at 10 USD per million: 0.09 USD each).
 */
class BudgetShareTest {
  static final double BUDGET = 0.2;
  static final double CALL_USD = 1024 * 10.0 / 1e6 + 5 * 2.5 / 1e6;

  record Spent(double usd, int made, String refusal) {}

  static ModelCalls calls(int workers) throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    return new ModelCalls(def, null, "http://127.0.0.1:9", spec -> new ModelClient() {
      @Override
      public ChatResponse complete(ChatRequest r) {
        return new ChatResponse("answer", new Usage(5, r.maxTokens(), 0, null, null), "stop", null, false, 1, 1, null);
      }

      @Override
      public void close() {}
    }).withBudget(BUDGET).withWorkers(workers);
  }

  static Spent spend(int workers) throws Exception {
    return spend(calls(workers), 100, "question");
  }

  /**
   * Calls until {@code most} were made or one is refused, in a session of its own: with no launcher
   * holding the run's ledger (a cluster worker), closing it forgets the ledger, as a job's restart does.
   */
  static Spent spend(ModelCalls calls, int most, String prefix) throws Exception {
    int made = 0;
    String refusal = null;
    try (ModelCalls.Session s = calls.open()) {
      for (int i = 0; i < most && refusal == null; i++) {
        CallOutcome o = s.call(new Call("answer", "emu-openai", "s", prefix + " " + i)).get();
        if (o.failure() == null) {
          made++;
        } else {
          refusal = o.failure().reason();
        }
      }
    }
    return new Spent(made * CALL_USD, made, refusal);
  }

  @Test
  void eachWorkerKeepsItsShareOfTheBudget() throws Exception {
    Spent one = spend(1);
    Spent two = spend(2);
    assertTrue(one.usd() <= BUDGET && one.usd() > BUDGET - 2 * CALL_USD, one.toString());
    assertTrue(two.usd() <= BUDGET / 2 && two.usd() > BUDGET / 2 - 2 * CALL_USD, two.toString());
    // Two workers, each at its share, stay within the one budget.
    assertTrue(2 * two.usd() <= BUDGET, two.toString());
    assertTrue(two.refusal().contains("budget cap of 0.10 USD reached")
        && two.refusal().contains("this worker's share of --budgetUsd=0.20 over 2 workers"), two.refusal());
    assertTrue(one.refusal().contains("budget cap of 0.20 USD reached") && !one.refusal().contains("share"),
        one.refusal());
    assertEquals(true, one.made() > two.made(), one + " " + two);
  }

  /**
   * A job restarted after a lost worker makes new ledgers in every JVM (the old ones were forgotten
   * with their tasks). Each counts what the run's log had spent against its share, so the run's
   * spending across the restart stays within the budget instead of starting again from zero.
   */
  @Test
  void aLedgerMadeAfterARestartCountsTheCallsLoggedBefore(@TempDir Path log) throws Exception {
    // One worker: the restarted ledger gets what is left of the budget, to within a call.
    ModelCalls one = calls(1).withCallLog(log.resolve("one").toString());
    Spent first = spend(one, 1, "first attempt");
    Spent restarted = spend(one, 100, "restarted");
    assertEquals(1, first.made(), first.toString());
    double total = first.usd() + restarted.usd();
    assertTrue(total <= BUDGET && total > BUDGET - 2 * CALL_USD, first + " " + restarted);
    assertTrue(restarted.refusal().contains("by calls logged before this worker started"), restarted.refusal());

    // Two workers: one spends its whole share and is lost; its replacement finds the share spent.
    ModelCalls two = calls(2).withCallLog(log.resolve("two").toString());
    Spent lost = spend(two, 100, "lost worker");
    Spent replacement = spend(two, 100, "replacement");
    assertTrue(lost.made() > 0 && lost.usd() <= BUDGET / 2, lost.toString());
    assertEquals(0, replacement.made(), replacement.toString());
    assertTrue(replacement.refusal().contains(String.format(java.util.Locale.ROOT,
        "0.0000 USD spent, and %.4f USD by calls logged before this worker started", lost.usd())),
        replacement.refusal());

    // A call in flight when its worker was lost may have been billed: the new ledger counts its
    // worst case (what its attempt reserved), so the run stays within the budget whatever it cost.
    String inFlight = log.resolve("in-flight").toString();
    CallLog lostWorker = new CallLog(inFlight);
    long reservedMicros = 150_000;
    lostWorker.attempt("x-lost", "emu-openai", reservedMicros);
    Spent afterLoss = spend(calls(1).withCallLog(inFlight), 100, "after the loss");
    assertTrue(afterLoss.usd() + reservedMicros / 1e6 <= BUDGET
        && afterLoss.usd() + reservedMicros / 1e6 > BUDGET - 2 * CALL_USD, afterLoss.toString());

    // Without a log there is nothing to count: each new ledger starts from zero (the embedded runners
    // keep one ledger for the whole run, held by the launcher).
    ModelCalls unlogged = calls(1);
    assertEquals(spend(unlogged, 100, "a").made(), spend(unlogged, 100, "b").made());
  }

  /**
   * Calls in flight reserve their worst case (max_tokens out) but cost a tenth of it: once the
   * reservations fill the cap, a new call waits for them to settle instead of being refused, so the
   * run spends up to its cap. Refusing instead stopped it near the cap less the reservations of the
   * calls in flight (8 at once here, the quickstart's concurrency).
   */
  @Test
  void callsInFlightHoldTheirWorstCaseOnlyUntilTheySettle() throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
    ModelCalls calls = new ModelCalls(def, null, "http://127.0.0.1:9", spec -> new ModelClient() {
      @Override
      public ChatResponse complete(ChatRequest r) {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        inFlight.decrementAndGet();
        return new ChatResponse("answer", new Usage(5, r.maxTokens() / 10, 0, null, null), "stop", null, false, 1, 1,
            null);
      }

      @Override
      public void close() {}
    }).withBudget(BUDGET);
    // 5 tokens in at 2.5 USD a million, 102 out at 10, in whole micro-dollars a call (the ledger's unit).
    double callUsd = Math.round(5 * 2.5 + 1024 / 10 * 10.0) / 1e6;
    List<CompletableFuture<CallOutcome>> all = new ArrayList<>();
    int made = 0;
    int refused = 0;
    try (ModelCalls.Session s = calls.open()) {
      for (int i = 0; i < 400; i++) {
        all.add(s.call(new Call("answer", "emu-openai", "s", "question " + i)));
      }
      for (CompletableFuture<CallOutcome> f : all) {
        CallOutcome o = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        if (o.failure() == null) {
          made++;
        } else {
          assertTrue(o.failure().reason().contains("budget cap of 0.20 USD reached"), o.failure().reason());
          refused++;
        }
      }
      assertTrue(mostInFlight.get() > 1, "calls ran side by side: " + mostInFlight.get());
      double spent = s.ledger().spentUsd();
      assertEquals(made * callUsd, spent, 1e-9);
      // Within the cap, and short of it by less than one call's worst case (the next call would not fit).
      assertTrue(spent <= BUDGET && spent > BUDGET - CALL_USD, made + " made, " + refused + " refused, " + spent);
    }
  }
}
