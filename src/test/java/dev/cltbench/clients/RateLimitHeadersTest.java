package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.HttpHeaders;
import dev.cltbench.study.PipelineDefinition.Limit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The providers' rate-limit headers as documented (OpenAI durations, Anthropic RFC 3339 times). */
class RateLimitHeadersTest {
  @Test
  void openAiResetIsAGoStyleDuration() {
    assertEquals(Duration.ofMillis(20), RateLimitHeaders.duration("20ms"));
    assertEquals(Duration.ofMillis(1500), RateLimitHeaders.duration("1.5s"));
    assertEquals(Duration.ofMinutes(6), RateLimitHeaders.duration("6m0s"));
    assertEquals(Duration.ofSeconds(3723), RateLimitHeaders.duration("1h2m3s"));
    assertEquals(Duration.ofMillis(17253), RateLimitHeaders.duration("17.253s"));
    assertNull(RateLimitHeaders.duration("soon"));
    assertNull(RateLimitHeaders.duration("5"));
    assertNull(RateLimitHeaders.duration("1s later"));
  }

  @Test
  void anthropicResetIsATime() {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    assertEquals(Duration.ofSeconds(30), RateLimitHeaders.until("2026-12-06T10:00:30Z", now));
    assertEquals(Duration.ofSeconds(30), RateLimitHeaders.until("2026-12-06T11:00:30+01:00", now));
    assertEquals(Duration.ZERO, RateLimitHeaders.until("2026-12-06T09:59:00Z", now));
    assertNull(RateLimitHeaders.until("in 30 s", now));
  }

  @Test
  void readsEitherProvidersHeaders() {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    HttpHeaders openai = new HttpHeaders();
    openai.set("x-ratelimit-remaining-requests", "59");
    openai.set("x-ratelimit-reset-requests", "1s");
    RateLimitHeaders o = RateLimitHeaders.of(openai, null, now);
    assertEquals(59L, o.remainingRequests());
    assertEquals(Duration.ofSeconds(1), o.resetRequests());
    HttpHeaders anthropic = new HttpHeaders();
    anthropic.set("anthropic-ratelimit-requests-remaining", "0");
    anthropic.set("anthropic-ratelimit-requests-reset", "2026-12-06T10:00:02Z");
    RateLimitHeaders a = RateLimitHeaders.of(anthropic, Duration.ofSeconds(2), now);
    assertEquals(0L, a.remainingRequests());
    assertEquals(Duration.ofSeconds(2), a.resetRequests());
    assertEquals(Duration.ofSeconds(2), a.retryAfter());
    assertTrue(RateLimitHeaders.of(new HttpHeaders(), null, now).isEmpty());
  }

  @Test
  void anEndpointSpreadsWhatIsLeftOverTheResetAndA429HoldsItAll() throws Exception {
    EndpointLimits.Endpoint e = new EndpointLimits.Endpoint("t", new Limit(4, 0, 0, null, null));
    assertEquals(0, e.pace(0), "nothing said yet: no wait");
    // 4 left, full again in 400 ms: one request every 100 ms from now on
    e.observe(new RateLimitHeaders(4L, Duration.ofMillis(400), null));
    e.pace(0);
    long waited = e.pace(0);
    assertTrue(waited >= 80 && waited <= 200, "waited " + waited + " ms");
    // a 429 asking for 300 ms holds the next start that long
    e.observe(new RateLimitHeaders(null, null, Duration.ofMillis(300)));
    long held = e.gate();
    assertTrue(held >= 250, "held " + held + " ms");
  }
}
