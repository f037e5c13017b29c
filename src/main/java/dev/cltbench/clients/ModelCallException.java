package dev.cltbench.clients;

import java.time.Duration;

/**
 * A failed call. {@code status} is the HTTP status (-1 for an I/O failure: reset, timeout, refused);
 * {@code retryable} says whether the same request may succeed later; {@code retryAfter} is the wait
 * the server asked for, or null. {@code kind} names failures that came with a 200 reply:
 * {@link #TRUNCATED}, {@link #NO_TEXT}, {@link #REFUSED}; null for the rest. {@code usage} is what
 * the failing reply reported (billed even though it failed), {@code finishReason} and
 * {@code modelVersion} what it said. Messages never carry an API key.
 */
public final class ModelCallException extends Exception {
  private static final long serialVersionUID = 1L;
  public static final String TRUNCATED = "truncated";
  public static final String NO_TEXT = "no_text";
  public static final String REFUSED = "refused";
  public static final String BUDGET = "budget";

  private final int status;
  private final boolean retryable;
  private final Duration retryAfter;
  private final String kind;
  private final Usage usage;
  private final String finishReason;
  private final String modelVersion;
  private final String text;
  private final int attempts;
  private String reasoning;

  public ModelCallException(int status, boolean retryable, Duration retryAfter, String message) {
    this(status, retryable, retryAfter, message, null, Usage.NONE, null, null, null, 1);
  }

  public ModelCallException(int status, boolean retryable, Duration retryAfter, String message, String kind,
      Usage usage, String finishReason, String modelVersion, String text, int attempts) {
    super(message);
    this.status = status;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.kind = kind;
    this.usage = usage == null ? Usage.NONE : usage;
    this.finishReason = finishReason;
    this.modelVersion = modelVersion;
    this.text = text;
    this.attempts = attempts;
  }

  /** The same failure after {@code n} attempts, with {@code message}, {@code more} usage added. */
  ModelCallException after(int n, String message, Usage more) {
    return new ModelCallException(status, retryable, retryAfter, message, kind, usage.plus(more), finishReason,
        modelVersion, text, n).withReasoning(reasoning);
  }

  /** This failure with the reasoning trace its reply carried (a reply cut inside its reasoning). */
  ModelCallException withReasoning(String trace) {
    this.reasoning = trace;
    return this;
  }

  /** The reasoning trace of the failing reply, kept apart from any text, or null. */
  public String reasoning() {
    return reasoning;
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

  public String kind() {
    return kind;
  }

  public Usage usage() {
    return usage;
  }

  public String finishReason() {
    return finishReason;
  }

  public String modelVersion() {
    return modelVersion;
  }

  /** The cut text of a truncated reply (may be empty), else null. */
  public String text() {
    return text;
  }

  public int attempts() {
    return attempts;
  }
}
