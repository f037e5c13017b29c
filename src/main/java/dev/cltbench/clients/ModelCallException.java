package dev.cltbench.clients;

import java.time.Duration;

/**
 * A failed call. {@code status} is the HTTP status (-1 for an I/O failure: reset, timeout, refused);
 * {@code retryable} says whether the same request may succeed later; {@code retryAfter} is the wait
 * the server asked for, or null. Messages never carry an API key.
 */
public final class ModelCallException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final boolean retryable;
  private final Duration retryAfter;

  public ModelCallException(int status, boolean retryable, Duration retryAfter, String message) {
    super(message);
    this.status = status;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
