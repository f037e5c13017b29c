package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.HttpHeaders;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.study.PipelineDefinition.Limit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two workers (two endpoints, each with its own account controller, as two JVMs have) sharing one
 * emulated provider account's request quota, each with more threads than its share needs: together
 * they meet few 429s. Throughput against the quota is printed, not asserted (timings are the
 * benchmark's, scripts/quota-benchmark.sh).
 */
class AccountSharingTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void twoWorkersSharingOneAccountMeetFew429s() throws Exception {
    // 50 requests a second for both, a second's burst; each worker 8 threads of 40 ms calls could send 200.
    try (ModelEmulator emu = ModelEmulator.builder().accountQuota(3000, 50).latency(Duration.ofMillis(40)).start()) {
      ExecutorService threads = Executors.newFixedThreadPool(16);
      List<Future<?>> done = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int w = 0; w < 2; w++) {
        EndpointLimits.Endpoint worker = new EndpointLimits.Endpoint("w" + w, new Limit(8, 0, 0, null, null));
        AtomicInteger left = new AtomicInteger(400);
        boolean anthropic = w == 1; // one worker on each provider's headers
        for (int t = 0; t < 8; t++) {
          done.add(threads.submit(() -> {
            while (left.getAndDecrement() > 0) {
              worker.pace(0);
              while (call(emu, worker, anthropic) == 429) {
                worker.gate();
              }
            }
            return null;
          }));
        }
      }
      for (Future<?> f : done) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      threads.shutdown();
      long requests = emu.requests();
      long refused = emu.quotaRejections();
      assertEquals(800, requests - refused);
      System.out.printf(Locale.ROOT, "two workers, one account: %d requests, %d 429s (%.2f%%), %.1f answered a "
          + "second against the quota's 50 (%.2fx)%n", requests, refused, 100.0 * refused / requests,
          800 / seconds, 800 / seconds / 50);
      assertTrue(refused < 0.02 * requests, refused + " 429s of " + requests + " requests");
    }
  }

  /** One request; hands what the reply's headers said to the worker; returns the status. */
  private static int call(ModelEmulator emu, EndpointLimits.Endpoint worker, boolean anthropic) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emu.baseUrl()
        + (anthropic ? "/v1/messages" : "/v1/chat/completions")))
        .header("content-type", "application/json").header("authorization", "Bearer k").header("x-api-key", "k")
        .header("anthropic-version", "2023-06-01");
    String body = anthropic
        ? "{\"model\":\"claude-x\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        : "{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> r = HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpHeaders h = new HttpHeaders();
    r.headers().map().forEach((k, v) -> h.set(k, v));
    worker.observe(RateLimitHeaders.of(h, r.statusCode() == 429 ? HttpModelClient.retryAfter(h) : null,
        Instant.now()));
    return r.statusCode();
  }

  @Test
  void eachWorkerTakesItsShareOfTheFilesLimits() {
    Limit file = new Limit(16, 1200, 90_000, 5, 30);
    assertEquals(file, EndpointLimits.share(file, 1));
    assertEquals(new Limit(8, 600, 45_000, 5, 30), EndpointLimits.share(file, 2));
    assertEquals(new Limit(5, 400, 30_000, 5, 30), EndpointLimits.share(file, 3));
    // never below one call in flight, nor a limit the file set turned into none
    assertEquals(new Limit(1, 1, 0, null, null), EndpointLimits.share(new Limit(2, 3, 0, null, null), 4));
  }
}
