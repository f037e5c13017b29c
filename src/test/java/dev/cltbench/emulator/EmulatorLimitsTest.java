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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Provider-style limits: beyond them a 429 with Retry-After, which the client waits out. */
class EmulatorLimitsTest {
  private static List<String> burst(ModelEmulator e, int n) throws Exception {
    RetryPolicy p = RetryPolicy.defaults().withMaxAttempts(20)
        .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20));
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try (ModelClient c = ModelClients.create(new ModelSpec("m", "cohere", "cmd", "f", e.baseUrl(), null,
        null, 20, null, null, null, null, null), x -> null, p)) {
      List<Future<String>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String user = "question " + i;
        fs.add(pool.submit(() -> c.complete(new ChatRequest(null, user, 20, null, null)).text()));
      }
      List<String> out = new ArrayList<>();
      for (Future<String> f : fs) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrencyBeyondTheModelsCapIsRejectedThenRetried() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().latency(Duration.ofMillis(150))
        .maxConcurrent("cmd", 2).start()) {
      assertEquals(6, burst(e, 6).size());
      assertTrue(e.limitRejections() > 0, "6 at once against a cap of 2");
      assertEquals(6 + e.limitRejections(), e.requests());
      assertEquals(Long.valueOf(e.requests()), e.callsByModel().get("cmd"));
    }
  }

  @Test
  void requestsPerSecondBeyondTheRateAreRejectedThenRetried() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().ratePerSecond(4).start()) {
      long t0 = System.nanoTime();
      assertEquals(10, burst(e, 10).size());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(e.limitRejections() > 0);
      // 10 answers at 4 per second need at least two full windows after the first
      assertTrue(ms >= 1000, "took " + ms + " ms");
    }
  }

  @Test
  void maxInFlightIsMeasured() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().latency(Duration.ofMillis(300)).start()) {
      burst(e, 4);
      assertTrue(e.maxInFlight() >= 2 && e.maxInFlight() <= 4, "max in flight " + e.maxInFlight());
    }
  }
}
