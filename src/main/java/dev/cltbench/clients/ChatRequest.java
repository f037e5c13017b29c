package dev.cltbench.clients;

import java.io.Serializable;

/** One fresh conversation: an optional system prompt and one user message. */
public record ChatRequest(String system, String user, int maxTokens, Double temperature, Long seed)
    implements Serializable {
  public ChatRequest {
    if (user == null) {
      throw new IllegalArgumentException("user message is null");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
    }
  }
}
