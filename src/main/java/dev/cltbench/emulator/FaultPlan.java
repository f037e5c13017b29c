package dev.cltbench.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;

/**
 * Which requests fail, and how: decided from a hash of the seed, the request's content and its attempt
 * number, so a run is reproducible and a retried request eventually gets through (attempts after
 * {@code maxFaultyAttempts} never fail).
 */
public final class FaultPlan {
  /** What the emulator does instead of answering. */
  public enum Fault {
    /** 429 with Retry-After. */
    RATE_LIMITED,
    SERVER_ERROR_500,
    UNAVAILABLE_503,
    /** The connection is closed without a response. */
    CONNECTION_RESET,
    /** No response until {@link #hang()} has passed, then the connection is closed. */
    TIMEOUT,
    /** A 200 whose body stops halfway (Content-Length promises more). */
    TRUNCATED,
    /** A complete 200 whose body is cut-off JSON (Content-Length matches): the parser, not I/O, fails. */
    MALFORMED,
    BAD_REQUEST_400,
    UNAUTHORIZED_401,
    NOT_FOUND_404,
    /** The provider's own way of declining the content (content_filter, stop_reason refusal, SAFETY). */
    REFUSAL;

    public boolean isTransient() {
      return ordinal() <= MALFORMED.ordinal();
    }
  }

  private static final List<Fault> TRANSIENT = List.of(Fault.RATE_LIMITED, Fault.SERVER_ERROR_500,
      Fault.UNAVAILABLE_503, Fault.CONNECTION_RESET, Fault.TIMEOUT, Fault.TRUNCATED, Fault.MALFORMED);

  private final double rate;
  private final long seed;
  private final List<Fault> kinds;
  private final int maxFaultyAttempts;
  private final Duration hang;
  private final Duration retryAfter;

  private FaultPlan(double rate, long seed, List<Fault> kinds, int maxFaultyAttempts, Duration hang,
      Duration retryAfter) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("fault rate must be within 0..1, was " + rate);
    }
    this.rate = rate;
    this.seed = seed;
    this.kinds = List.copyOf(kinds);
    this.maxFaultyAttempts = maxFaultyAttempts;
    this.hang = hang;
    this.retryAfter = retryAfter;
  }

  public static FaultPlan none() {
    return new FaultPlan(0, 0, TRANSIENT, 0, Duration.ofSeconds(5), Duration.ofMillis(100));
  }

  /**
   * Each attempt fails with probability {@code rate}, the fault drawn evenly from 429, 500, 503, reset,
   * timeout, truncated and malformed body; the first 3 attempts of a request may fail, later ones never.
   */
  public static FaultPlan uniform(double rate, long seed) {
    return new FaultPlan(rate, seed, TRANSIENT, 3, Duration.ofSeconds(5), Duration.ofMillis(100));
  }

  public FaultPlan withKinds(List<Fault> kinds) {
    return new FaultPlan(rate, seed, kinds, maxFaultyAttempts, hang, retryAfter);
  }

  public FaultPlan withMaxFaultyAttempts(int n) {
    return new FaultPlan(rate, seed, kinds, n, hang, retryAfter);
  }

  /** How long a TIMEOUT fault holds the connection: set it above the client's read timeout. */
  public FaultPlan withHang(Duration d) {
    return new FaultPlan(rate, seed, kinds, maxFaultyAttempts, d, retryAfter);
  }

  /** The wait a RATE_LIMITED fault asks for (sent as retry-after-ms, and rounded up as Retry-After). */
  public FaultPlan withRetryAfter(Duration d) {
    return new FaultPlan(rate, seed, kinds, maxFaultyAttempts, hang, d);
  }

  public Duration hang() {
    return hang;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** The fault of attempt {@code attempt} (1-based) of the request with this content, or null. */
  public Fault decide(String content, int attempt) {
    if (rate == 0 || attempt > maxFaultyAttempts || kinds.isEmpty()) {
      return null;
    }
    byte[] h = sha256(seed + "\u0000" + attempt + "\u0000" + content);
    long a = 0;
    for (int i = 0; i < 7; i++) {
      a = (a << 8) | (h[i] & 0xff);
    }
    double u = a / (double) (1L << 56);
    if (u >= rate) {
      return null;
    }
    return kinds.get((h[7] & 0xff) % kinds.size());
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
