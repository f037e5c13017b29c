package dev.cltbench.clients;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a call is retried: total attempts, exponential backoff with jitter
 * between {@code baseBackoff} and {@code maxBackoff}, and the HTTP timeouts. A server's Retry-After
 * wins over the backoff (capped at {@link #MAX_RETRY_AFTER}).
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;
  /** A Retry-After longer than this is clamped: a run should not stall for hours on one header. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff,
      Duration connectTimeout, Duration readTimeout) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (baseBackoff.isNegative() || maxBackoff.compareTo(baseBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= base backoff <= max backoff");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
        || readTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    this.maxAttempts = maxAttempts;
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /** 6 attempts, backoff 1 s doubling up to 60 s, connect 10 s, read 120 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10),
        Duration.ofSeconds(120));
  }

  public RetryPolicy withMaxAttempts(int n) {
    return new RetryPolicy(n, baseBackoff, maxBackoff, connectTimeout, readTimeout);
  }

  public RetryPolicy withBackoff(Duration base, Duration max) {
    return new RetryPolicy(maxAttempts, base, max, connectTimeout, readTimeout);
  }

  public RetryPolicy withTimeouts(Duration connect, Duration read) {
    return new RetryPolicy(maxAttempts, baseBackoff, maxBackoff, connect, read);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration baseBackoff() {
    return baseBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  /**
   * The wait before attempt {@code failedAttempt + 1}: the server's Retry-After if it sent one, else
   * "equal jitter" backoff: half of min(max, base * 2^(n-1)) plus a random part of the other half,
   * so that many workers hit by the same 429 do not come back in lockstep.
   */
  public Duration delayAfter(int failedAttempt, ModelCallException failure) {
    if (failure != null && failure.retryAfter() != null) {
      Duration ra = failure.retryAfter();
      return ra.isNegative() ? Duration.ZERO : ra.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : ra;
    }
    long base = baseBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long exp = failedAttempt >= 31 ? cap : Math.min(cap, base << Math.max(0, failedAttempt - 1));
    long half = exp / 2;
    return Duration.ofMillis(half + (exp - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(exp - half + 1)));
  }

  /**
   * A Retry-After header value: delta seconds or an HTTP-date (RFC 9110 section 10.2.3); null when
   * absent or unparseable.
   */
  public static Duration parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      long s = Long.parseLong(v);
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      // not delta-seconds: try the date form
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "RetryPolicy[attempts=" + maxAttempts + ", backoff=" + baseBackoff + ".." + maxBackoff
        + ", connect=" + connectTimeout + ", read=" + readTimeout + "]";
  }
}
