package dev.cltbench.clients;

import java.io.Serializable;

/** A model's reply: text, token usage as the provider reported it, why it stopped, wall time. */
public record ChatResponse(
    String text, long inputTokens, long outputTokens, String finishReason, long latencyMs)
    implements Serializable {}
