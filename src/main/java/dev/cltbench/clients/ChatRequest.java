package dev.cltbench.clients;

import java.io.Serializable;

/**
 * One fresh conversation: an optional system prompt and one user message; {@code schema}, when set, is
 * the structure the reply is constrained to (a judge's verdict).
 */
public record ChatRequest(String system, String user, int maxTokens, Double temperature, Long seed,
    ResponseSchema schema) implements Serializable {
  public ChatRequest(String system, String user, int maxTokens, Double temperature, Long seed) {
    this(system, user, maxTokens, temperature, seed, null);
  }

  public ChatRequest {
    if (user == null) {
      throw new IllegalArgumentException("user message is null");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
    }
  }
}
