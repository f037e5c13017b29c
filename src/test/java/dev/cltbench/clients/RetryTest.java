package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.HttpHeaders;
import dev.cltbench.emulator.FaultPlan;
import dev.cltbench.emulator.FaultPlan.Fault;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.Responder;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which failures are retried, how long the client waits, and that the budget ends. */
class RetryTest {
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  static ModelSpec spec(String provider, String base) {
    return new ModelSpec("m", provider, "model-a", "f", base, null, null, 50, null, null, null, null, null);
  }

  static String base(ModelEmulator e, String provider) {
    return provider.equals("openai") ? e.openAiBaseUrl() : e.baseUrl();
  }

  ModelClient client(ModelEmulator e, String provider, int attempts) {
    RetryPolicy p = RetryPolicy.defaults().withMaxAttempts(attempts)
        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(400));
    return ModelClients.create(spec(provider, base(e, provider)), n -> null, p, sleeps::add);
  }

  static Responder fixed() {
    return r -> new Responder.Reply("fine answer", 0, 0, 0);
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"RATE_LIMITED", "SERVER_ERROR_500", "UNAVAILABLE_503",
      "CONNECTION_RESET", "TIMEOUT", "TRUNCATED", "MALFORMED"})
  void transientFaultsAreRetriedUntilTheAnswerComes(Fault fault) throws Exception {
    FaultPlan plan = FaultPlan.uniform(1.0, 5).withKinds(List.of(fault)).withMaxFaultyAttempts(2)
        .withHang(Duration.ofMillis(1500));
    try (ModelEmulator e = ModelEmulator.builder().responder(fixed()).faults(plan).start();
        ModelClient c = client(e, "anthropic", 5)) {
      ChatResponse r = c.complete(new ChatRequest(null, "q", 50, null, null));
      assertEquals("fine answer", r.text());
      assertEquals(3, e.requests(), "two faulty attempts, then the answer");
      assertEquals(2, e.faultsInjected());
      assertEquals(2, sleeps.size());
    }
  }

  @Test
  void retryAfterOfA429IsHonoured() throws Exception {
    FaultPlan plan = FaultPlan.uniform(1.0, 5).withKinds(List.of(Fault.RATE_LIMITED))
        .withMaxFaultyAttempts(1).withRetryAfter(Duration.ofMillis(1700));
    try (ModelEmulator e = ModelEmulator.builder().responder(fixed()).faults(plan).start();
        ModelClient c = client(e, "openai", 3)) {
      assertEquals("fine answer", c.complete(new ChatRequest(null, "q", 50, null, null)).text());
      assertEquals(List.of(Duration.ofMillis(1700)), sleeps, "the server's wait, not the 10-40 ms backoff");
    }
  }

  @Test
  void retryAfterInSecondsOrAsHttpDate() {
    HttpHeaders h = new HttpHeaders();
    h.set("Retry-After", "3");
    assertEquals(Duration.ofSeconds(3), HttpModelClient.retryAfter(h));
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    assertEquals(Duration.ofSeconds(90),
        RetryPolicy.parseRetryAfter("Mon, 23 Nov 2026 10:01:30 GMT", now));
    assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now));
    assertEquals(null, RetryPolicy.parseRetryAfter("soon", now));
    assertEquals(RetryPolicy.MAX_RETRY_AFTER,
        RetryPolicy.defaults().delayAfter(1, new ModelCallException(429, true, Duration.ofHours(2), "x")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic", "gemini", "cohere"})
  void permanentFaultsAreNotRetried(String provider) throws Exception {
    for (Fault f : List.of(Fault.BAD_REQUEST_400, Fault.UNAUTHORIZED_401, Fault.NOT_FOUND_404, Fault.REFUSAL)) {
      sleeps.clear();
      try (ModelEmulator e = ModelEmulator.builder().responder(fixed())
              .permanentFault(r -> r.user().contains("forbidden"), f).start();
          ModelClient c = client(e, provider, 5)) {
        ModelCallException ex = assertThrows(ModelCallException.class,
            () -> c.complete(new ChatRequest(null, "forbidden topic", 50, null, null)));
        assertFalse(ex.retryable(), provider + " " + f);
        assertEquals(1, e.requests(), provider + " " + f);
        assertTrue(sleeps.isEmpty());
        int expected = switch (f) {
          case BAD_REQUEST_400 -> 400;
          case UNAUTHORIZED_401 -> 401;
          case NOT_FOUND_404 -> 404;
          default -> provider.equals("cohere") ? 400 : 200;
        };
        assertEquals(expected, ex.status(), provider + " " + f);
        if (f == Fault.REFUSAL && !provider.equals("cohere")) {
          assertTrue(ex.getMessage().contains("refus") || ex.getMessage().contains("SAFETY"), ex.getMessage());
        }
        // the predicate only matches that request: others are answered
        assertEquals("fine answer", c.complete(new ChatRequest(null, "harmless", 50, null, null)).text());
      }
    }
  }

  @Test
  void theRetryBudgetIsBounded() throws Exception {
    FaultPlan plan = FaultPlan.uniform(1.0, 5).withKinds(List.of(Fault.SERVER_ERROR_500))
        .withMaxFaultyAttempts(1000);
    try (ModelEmulator e = ModelEmulator.builder().responder(fixed()).faults(plan).start();
        ModelClient c = client(e, "gemini", 4)) {
      ModelCallException ex = assertThrows(ModelCallException.class,
          () -> c.complete(new ChatRequest(null, "q", 50, null, null)));
      assertEquals(500, ex.status());
      assertEquals(4, e.requests());
      assertEquals(3, sleeps.size());
      assertTrue(ex.getMessage().contains("4 attempts"), ex.getMessage());
    }
  }

  @Test
  void backoffGrowsWithJitterWithinItsBounds() {
    RetryPolicy p = RetryPolicy.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    ModelCallException e = new ModelCallException(500, true, null, "x");
    for (int i = 0; i < 200; i++) {
      long d1 = p.delayAfter(1, e).toMillis();
      long d3 = p.delayAfter(3, e).toMillis();
      long d9 = p.delayAfter(9, e).toMillis();
      assertTrue(d1 >= 50 && d1 <= 100, "attempt 1: " + d1);
      assertTrue(d3 >= 200 && d3 <= 400, "attempt 3: " + d3);
      assertTrue(d9 >= 500 && d9 <= 1000, "capped: " + d9);
    }
    long distinct = java.util.stream.IntStream.range(0, 50)
        .mapToLong(i -> p.delayAfter(4, e).toMillis()).distinct().count();
    assertTrue(distinct > 5, "jitter spreads the waits");
  }

  @Test
  void policyIsImmutableAndValidated() {
    RetryPolicy d = RetryPolicy.defaults();
    RetryPolicy p = d.withMaxAttempts(2);
    assertEquals(6, d.maxAttempts());
    assertEquals(2, p.maxAttempts());
    assertThrows(IllegalArgumentException.class, () -> d.withMaxAttempts(0));
    assertThrows(IllegalArgumentException.class,
        () -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertNotNull(d.toString());
  }
}
