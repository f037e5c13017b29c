package dev.cltbench.emulator;

/** Decides what an emulated model answers. Implementations must be thread-safe. */
public interface Responder {
  /** The four chat wire formats the emulator speaks. */
  enum Protocol { OPENAI, ANTHROPIC, GEMINI, COHERE }

  /**
   * A chat request as the emulator decoded it from the wire; system is null when none was sent;
   * {@code schema} names the structure the reply is constrained to (OpenAI's json_schema name,
   * Anthropic's forced tool, "json" for Gemini's and Cohere's JSON mode), null when unconstrained.
   */
  record Request(Protocol protocol, String modelId, String system, String user, Integer maxTokens,
      Double temperature, Long seed, String schema) {
    public Request(Protocol protocol, String modelId, String system, String user, Integer maxTokens,
        Double temperature, Long seed) {
      this(protocol, modelId, system, user, maxTokens, temperature, seed, null);
    }
  }

  /**
   * The answer. {@code latencyMs} is added to the emulator's own latency (times its latency scale);
   * token counts of 0 are replaced by word counts.
   */
  record Reply(String text, long latencyMs, long inputTokens, long outputTokens) {}

  /** Thrown when the responder has nothing for a request: the emulator answers 404. */
  final class NoReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoReply(String message) {
      super(message);
    }
  }

  Reply respond(Request request);
}
