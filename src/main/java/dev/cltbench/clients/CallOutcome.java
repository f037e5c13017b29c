package dev.cltbench.clients;

/**
 * What one call came to, in the clients' own terms: the model's reply, or the failure that ended the
 * call. Turning it into a tuple's step is the pipeline's business, not the client's.
 */
public record CallOutcome(Reply reply, Failure failure) {
  /**
   * A reply: its text, what it used, why it stopped, the model version it reports, its wall time,
   * whether it was cut at max_tokens, the HTTP attempts made for it (0 when none was made), and
   * whether it came from the cache or from an identical call already in flight, and the reasoning
   * trace kept apart from the text (null when none).
   */
  public record Reply(String text, Usage usage, String finishReason, String modelVersion, long latencyMs,
      boolean truncated, int attempts, boolean cached, String reasoning) {
    public Reply(String text, Usage usage, String finishReason, String modelVersion, long latencyMs,
        boolean truncated, int attempts, boolean cached) {
      this(text, usage, finishReason, modelVersion, latencyMs, truncated, attempts, cached, null);
    }

    /** The same reply as seen by an identical call that joined this one: cached, no attempt of its own. */
    Reply shared() {
      return new Reply(text, usage, finishReason, modelVersion, latencyMs, truncated, 0, true, reasoning);
    }
  }

  /**
   * A failed call: the HTTP status (-1 when there was none), the reason, the kind of a failure that came
   * with a 200 reply ({@link ModelCallException#TRUNCATED} and the others; null for the rest), and
   * what the failing reply said and cost, or null when no reply is to be accounted for.
   */
  public record Failure(int status, String reason, String kind, Reply reply) {}

  static CallOutcome of(Reply reply) {
    return new CallOutcome(reply, null);
  }

  static CallOutcome failed(int status, String reason, String kind, Reply reply) {
    return new CallOutcome(null, new Failure(status, reason, kind, reply));
  }
}
