package dev.cltbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * The emulator as one provider account with a request quota: every reply says what is left in the
 * provider's own headers (OpenAI: x-ratelimit-*, reset a duration; Anthropic: anthropic-ratelimit-*,
 * reset an RFC 3339 time), and a request beyond the quota gets 429 with retry-after, whoever sends it.
 */
class AccountQuotaTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> post(ModelEmulator e, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(e.baseUrl() + path))
        .header("content-type", "application/json").header("authorization", "Bearer k").header("x-api-key", "k")
        .header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String OPENAI = "{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"user\",\"content\":\"Сәлем <&> \\\"q\\\"\"}]}";
  private static final String ANTHROPIC = "{\"model\":\"claude-x\",\"max_tokens\":20,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void openAiRouteCountsDownThenRefusesWithRetryAfter() throws Exception {
    // 6 a minute, 3 at once: three admitted, the fourth refused, up to 10 s until the next one.
    try (ModelEmulator e = ModelEmulator.builder().accountQuota(6, 3).start()) {
      for (int left = 2; left >= 0; left--) {
        HttpResponse<String> r = post(e, "/v1/chat/completions", OPENAI);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("6", r.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals(Integer.toString(left), r.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        String reset = r.headers().firstValue("x-ratelimit-reset-requests").orElseThrow();
        assertTrue(reset.matches("\\d+ms|\\d+(\\.\\d+)?s"), reset);
      }
      HttpResponse<String> refused = post(e, "/v1/chat/completions", OPENAI);
      assertEquals(429, refused.statusCode());
      assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
      long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
      assertTrue(retryAfter >= 1 && retryAfter <= 10, "retry-after " + retryAfter);
      assertTrue(refused.body().contains("\"error\""), refused.body());
      assertEquals(1, e.quotaRejections());
      assertEquals(4, e.requests());
    }
  }

  @Test
  void anthropicRouteSaysWhenTheQuotaIsFullAgain() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().accountQuota(12, 2).start()) {
      HttpResponse<String> r = post(e, "/v1/messages", ANTHROPIC);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("12", r.headers().firstValue("anthropic-ratelimit-requests-limit").orElseThrow());
      assertEquals("1", r.headers().firstValue("anthropic-ratelimit-requests-remaining").orElseThrow());
      Instant reset = OffsetDateTime.parse(r.headers().firstValue("anthropic-ratelimit-requests-reset")
          .orElseThrow()).toInstant();
      assertTrue(!reset.isBefore(Instant.now().minusSeconds(1)) && reset.isBefore(Instant.now().plusSeconds(12)),
          "reset " + reset);
      assertTrue(r.headers().firstValue("x-ratelimit-remaining-requests").isEmpty(), "one provider's headers");
      post(e, "/v1/messages", ANTHROPIC);
      HttpResponse<String> refused = post(e, "/v1/messages", ANTHROPIC);
      assertEquals(429, refused.statusCode());
      assertTrue(refused.body().contains("rate_limit_error"), refused.body());
      assertTrue(refused.headers().firstValue("retry-after").isPresent());
    }
  }

  @Test
  void theQuotaRefillsWithTime() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().accountQuota(600, 1).start()) {
      assertEquals(200, post(e, "/v1/chat/completions", OPENAI).statusCode());
      assertEquals(429, post(e, "/v1/chat/completions", OPENAI).statusCode());
      Thread.sleep(Duration.ofMillis(250).toMillis()); // 10 a second: one is back after 100 ms
      assertEquals(200, post(e, "/v1/chat/completions", OPENAI).statusCode());
    }
  }

  @Test
  void aQuotaMustAllowSomething() {
    var b = ModelEmulator.builder();
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> b.accountQuota(0, 1));
  }
}
