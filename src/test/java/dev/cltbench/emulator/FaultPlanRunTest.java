package dev.cltbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.clients.ChatRequest;
import dev.cltbench.clients.ModelClient;
import dev.cltbench.clients.ModelClients;
import dev.cltbench.clients.RetryPolicy;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** With 20% of attempts failing in every way the plan knows, retries still deliver every answer. */
class FaultPlanRunTest {
  static final List<String> PROVIDERS = List.of("openai", "anthropic", "gemini", "cohere");

  /** HTTP attempts the clients reported, over every call of the last {@link #runAll}. */
  private static final java.util.concurrent.atomic.AtomicLong ATTEMPTS = new java.util.concurrent.atomic.AtomicLong();

  private static Map<String, String> runAll(ModelEmulator e, int questions) throws Exception {
    ATTEMPTS.set(0);
    RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(6)
        .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
        // A read timeout well above any fault-free reply even on a loaded 2-core machine: at 400 ms a slow
        // clean reply timed out now and then and cost an attempt no fault caused.
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1500));
    Map<String, String> out = new TreeMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<ModelClient> clients = new ArrayList<>();
    try {
      Map<String, Future<String>> futures = new TreeMap<>();
      for (String p : PROVIDERS) {
        String base = p.equals("openai") ? e.openAiBaseUrl() : e.baseUrl();
        ModelClient c = ModelClients.create(new ModelSpec("emu-" + p, p, "emu-" + p, "f", base, null,
            null, 200, null, null, null, null, null), n -> null, policy);
        clients.add(c);
        for (int q = 0; q < questions; q++) {
          String user = q % 3 == 0 ? "Қазақстанның астанасы қай қала? " + q
              : q % 3 == 1 ? "Монгол улсын нийслэл хот аль вэ? " + q : "What is the capital of France? " + q;
          futures.put(p + "/" + q, pool.submit(() -> {
            var r = c.complete(new ChatRequest(null, user, 200, null, null));
            ATTEMPTS.addAndGet(r.attempts());
            return r.text();
          }));
        }
      }
      for (Map.Entry<String, Future<String>> f : futures.entrySet()) {
        out.put(f.getKey(), f.getValue().get());
      }
    } finally {
      pool.shutdownNow();
      clients.forEach(ModelClient::close);
    }
    return out;
  }

  @Test
  void everyCallEndsWithTheFaultFreeAnswer() throws Exception {
    int questions = 30;
    Map<String, String> clean;
    try (ModelEmulator e = ModelEmulator.builder().start()) {
      clean = runAll(e, questions);
      assertEquals(0, e.faultsInjected());
      assertEquals(PROVIDERS.size() * questions, e.requests());
    }
    try (ModelEmulator e = ModelEmulator.builder()
        .faults(FaultPlan.uniform(0.2, 11).withHang(Duration.ofMillis(3000))).start()) {
      Map<String, String> faulty = runAll(e, questions);
      assertEquals(clean, faulty);
      int calls = PROVIDERS.size() * questions;
      // 120 first attempts at 20%: well above 10 faults unless the plan is broken
      assertTrue(e.faultsInjected() >= 10, "faults injected: " + e.faultsInjected());
      assertEquals(calls + e.faultsInjected(), e.requests(), "every fault cost exactly one more attempt");
      // The clients count attempts as the server counts requests: the per-attempt budget settles each.
      assertEquals(e.requests(), ATTEMPTS.get(), "attempts reported = requests received");
    }
  }

  @Test
  void planIsDeterministicAndNearItsRate() {
    FaultPlan plan = FaultPlan.uniform(0.2, 3);
    int faults = 0;
    Map<FaultPlan.Fault, Integer> kinds = new TreeMap<>();
    for (int i = 0; i < 5000; i++) {
      FaultPlan.Fault f = plan.decide("request " + i, 1);
      assertEquals(f, plan.decide("request " + i, 1));
      if (f != null) {
        faults++;
        kinds.merge(f, 1, Integer::sum);
      }
      assertEquals(null, plan.decide("request " + i, 4), "attempts after the third never fail");
    }
    assertTrue(faults > 900 && faults < 1100, "about 20% of 5000: " + faults);
    assertEquals(7, kinds.size(), "every transient kind occurs: " + kinds);
  }
}
