package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PipelineDefinition;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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

  static Spent spend(int workers) throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    ModelCalls calls = new ModelCalls(def, null, "http://127.0.0.1:9", spec -> new ModelClient() {
      @Override
      public ChatResponse complete(ChatRequest r) {
        return new ChatResponse("answer", new Usage(5, r.maxTokens(), 0, null, null), "stop", null, false, 1, 1, null);
      }

      @Override
      public void close() {}
    }).withBudget(BUDGET).withWorkers(workers);
    int made = 0;
    String refusal = null;
    try (ModelCalls.Session s = calls.open()) {
      for (int i = 0; i < 100 && refusal == null; i++) {
        CallOutcome o = s.call(new Call("answer", "emu-openai", "s", "question " + i)).get();
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
}
