package dev.cltbench.clients;

import java.io.Serializable;

/**
 * A model's reply: text, token usage as the provider reported it, why it stopped (the provider's own
 * finish reason), the model version the provider reports, wall time, and whether the finish reason
 * says the text was cut at the token limit. {@code attempts} counts the HTTP requests made for it.
 * {@code reasoning} is the model's reasoning trace kept apart from {@code text} (null when none).
 */
public record ChatResponse(String text, Usage usage, String finishReason, String modelVersion,
    boolean truncated, long latencyMs, int attempts, String reasoning) implements Serializable {

  public ChatResponse(String text, Usage usage, String finishReason, String modelVersion, boolean truncated,
      long latencyMs, int attempts) {
    this(text, usage, finishReason, modelVersion, truncated, latencyMs, attempts, null);
  }

  public ChatResponse(String text, long inputTokens, long outputTokens, String finishReason, long latencyMs) {
    this(text, new Usage(inputTokens, outputTokens, 0, null, null), finishReason, null, false, latencyMs, 1);
  }

  public long inputTokens() {
    return usage.inputTokens();
  }

  public long outputTokens() {
    return usage.outputTokens();
  }

  ChatResponse withAttempts(int n) {
    return new ChatResponse(text, usage, finishReason, modelVersion, truncated, latencyMs, n, reasoning);
  }
}
