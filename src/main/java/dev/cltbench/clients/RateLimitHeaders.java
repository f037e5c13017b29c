package dev.cltbench.clients;

import com.google.api.client.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a provider's reply says about the account's request quota: the requests left and the time
 * until it is full again (OpenAI: {@code x-ratelimit-remaining-requests}, {@code
 * x-ratelimit-reset-requests} as a duration such as "1.5s" or "6m0s"; Anthropic: {@code
 * anthropic-ratelimit-requests-remaining}, {@code anthropic-ratelimit-requests-reset} as an RFC 3339
 * time), and a 429's {@code retry-after}. Every worker of a job sees the same account, so pacing by
 * these holds for all of them together (see {@link EndpointLimits.Endpoint#observe}).
 *
 * <p>The HTTP client reads them on the thread that made the request, and the call's {@link Attempts}
 * hand them to the endpoint on that same thread ({@link #take}): the client knows no endpoint.
 */
public record RateLimitHeaders(Long remainingRequests, Duration resetRequests, Duration retryAfter,
    Long limitRequests) {
  public RateLimitHeaders(Long remainingRequests, Duration resetRequests, Duration retryAfter) {
    this(remainingRequests, resetRequests, retryAfter, null);
  }

  private static final ThreadLocal<RateLimitHeaders> LAST = new ThreadLocal<>();
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  /** Nothing said. */
  public boolean isEmpty() {
    return remainingRequests == null && retryAfter == null;
  }

  /** The quota headers of a reply (null fields where it sent none). */
  static RateLimitHeaders of(HttpHeaders headers, Duration retryAfter, Instant now) {
    Long remaining = number(first(headers, "x-ratelimit-remaining-requests",
        "anthropic-ratelimit-requests-remaining"));
    Duration reset = duration(headers.getFirstHeaderStringValue("x-ratelimit-reset-requests"));
    if (reset == null) {
      reset = until(headers.getFirstHeaderStringValue("anthropic-ratelimit-requests-reset"), now);
    }
    Long limit = number(first(headers, "x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit"));
    return new RateLimitHeaders(remaining, reset, retryAfter, limit);
  }

  /** Records what the reply just read on this thread said. */
  static void record(RateLimitHeaders h) {
    LAST.set(h == null || h.isEmpty() ? null : h);
  }

  /** What the last reply read on this thread said (then forgotten), or null. */
  static RateLimitHeaders take() {
    RateLimitHeaders h = LAST.get();
    LAST.remove();
    return h;
  }

  private static String first(HttpHeaders headers, String... names) {
    for (String n : names) {
      String v = headers.getFirstHeaderStringValue(n);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static Long number(String v) {
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.strip());
      return n < 0 ? null : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** OpenAI's reset: a Go-style duration ("20ms", "1.5s", "6m0s", "1h2m3s"); null if not one. */
  static Duration duration(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    Matcher m = GO_DURATION.matcher(v.strip());
    double millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      end = m.end();
      double x = Double.parseDouble(m.group(1));
      millis += switch (m.group(2)) {
        case "h" -> x * 3_600_000;
        case "m" -> x * 60_000;
        case "s" -> x * 1000;
        default -> x;
      };
    }
    return end == v.strip().length() && end > 0 ? Duration.ofMillis((long) Math.ceil(millis)) : null;
  }

  /** Anthropic's reset: an RFC 3339 time; the duration from {@code now} (0 if past), null if not one. */
  static Duration until(String v, Instant now) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      Duration d = Duration.between(now, java.time.OffsetDateTime.parse(v.strip()).toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
