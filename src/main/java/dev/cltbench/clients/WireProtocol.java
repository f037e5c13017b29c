package dev.cltbench.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The four chat wire formats the study's providers speak: request path, auth headers, JSON body, and
 * how text, usage and refusals are read from a 200 reply. Each follows the provider's public API
 * reference; nothing here talks to the network.
 */
abstract class WireProtocol {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** What a 200 body said. A refusal is a permanent failure, never a graded answer. */
  record Parsed(String text, long inputTokens, long outputTokens, String finishReason, String refusal) {}

  /** Thrown when a 200 body is not the expected shape (truncated, wrong fields): retryable. */
  static final class MalformedReply extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedReply(String message) {
      super(message);
    }
  }

  abstract String name();

  abstract String url(String base, String modelId);

  /** Headers carrying the key (empty when no key is configured) and protocol versions. */
  abstract Map<String, String> headers(String apiKey);

  abstract ObjectNode body(String modelId, ChatRequest request);

  abstract Parsed parse(JsonNode reply) throws MalformedReply;

  static String stripSlash(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  static JsonNode need(JsonNode n, String field) throws MalformedReply {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || v.isNull() || v.isMissingNode()) {
      throw new MalformedReply("reply has no " + field);
    }
    return v;
  }

  static long usage(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.canConvertToLong() ? v.asLong() : 0;
  }

  /** OpenAI chat completions, also served by xAI, DeepSeek, Hugging Face's router, Together, vLLM, Ollama, llama.cpp. */
  static final class OpenAiCompatible extends WireProtocol {
    private final boolean maxCompletionTokens;

    /** @param maxCompletionTokens OpenAI's own API wants max_completion_tokens (newer models reject max_tokens) */
    OpenAiCompatible(boolean maxCompletionTokens) {
      this.maxCompletionTokens = maxCompletionTokens;
    }

    @Override
    String name() {
      return "openai-compatible";
    }

    @Override
    String url(String base, String modelId) {
      return stripSlash(base) + "/chat/completions";
    }

    @Override
    Map<String, String> headers(String apiKey) {
      return bearer(apiKey);
    }

    @Override
    ObjectNode body(String modelId, ChatRequest r) {
      return chatMessages(modelId, r, maxCompletionTokens ? "max_completion_tokens" : "max_tokens");
    }

    @Override
    Parsed parse(JsonNode reply) throws MalformedReply {
      JsonNode choices = need(reply, "choices");
      if (!choices.isArray() || choices.isEmpty()) {
        throw new MalformedReply("reply has no choices");
      }
      JsonNode choice = choices.get(0);
      JsonNode message = need(choice, "message");
      String finish = choice.path("finish_reason").asText(null);
      JsonNode refusal = message.get("refusal");
      if (refusal != null && refusal.isTextual() && !refusal.asText().isBlank()) {
        return new Parsed(null, 0, 0, finish, "refusal: " + refusal.asText());
      }
      if ("content_filter".equals(finish)) {
        return new Parsed(null, 0, 0, finish, "finish_reason content_filter");
      }
      JsonNode content = message.get("content");
      if (content == null || !content.isTextual()) {
        throw new MalformedReply("message has no text content");
      }
      JsonNode u = reply.get("usage");
      return new Parsed(content.asText(), usage(u, "prompt_tokens"), usage(u, "completion_tokens"),
          finish, null);
    }
  }

  /** Anthropic Messages API. */
  static final class Anthropic extends WireProtocol {
    static final String VERSION = "2023-06-01";

    @Override
    String name() {
      return "anthropic";
    }

    @Override
    String url(String base, String modelId) {
      return stripSlash(base) + "/v1/messages";
    }

    @Override
    Map<String, String> headers(String apiKey) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("anthropic-version", VERSION);
      if (apiKey != null) {
        h.put("x-api-key", apiKey);
      }
      return h;
    }

    @Override
    ObjectNode body(String modelId, ChatRequest r) {
      ObjectNode o = MAPPER.createObjectNode();
      o.put("model", modelId);
      o.put("max_tokens", r.maxTokens());
      if (r.system() != null) {
        o.put("system", r.system());
      }
      o.putArray("messages").addObject().put("role", "user").put("content", r.user());
      if (r.temperature() != null) {
        o.put("temperature", r.temperature());
      }
      // The Messages API has no seed parameter.
      return o;
    }

    @Override
    Parsed parse(JsonNode reply) throws MalformedReply {
      JsonNode content = need(reply, "content");
      String stop = reply.path("stop_reason").asText(null);
      if ("refusal".equals(stop)) {
        return new Parsed(null, 0, 0, stop, "stop_reason refusal");
      }
      if (!content.isArray()) {
        throw new MalformedReply("content is not an array");
      }
      StringBuilder text = new StringBuilder();
      boolean any = false;
      for (JsonNode block : content) {
        if ("text".equals(block.path("type").asText()) && block.get("text") != null) {
          text.append(block.get("text").asText());
          any = true;
        }
      }
      if (!any) {
        throw new MalformedReply("content has no text block");
      }
      JsonNode u = reply.get("usage");
      return new Parsed(text.toString(), usage(u, "input_tokens"), usage(u, "output_tokens"), stop, null);
    }
  }

  /** Google Gemini generateContent (v1beta). */
  static final class Gemini extends WireProtocol {
    @Override
    String name() {
      return "gemini";
    }

    @Override
    String url(String base, String modelId) {
      String m = modelId.startsWith("models/") ? modelId.substring("models/".length()) : modelId;
      return stripSlash(base) + "/v1beta/models/" + m + ":generateContent";
    }

    @Override
    Map<String, String> headers(String apiKey) {
      // The header, not the ?key= query parameter: URLs end up in logs and proxies.
      return apiKey == null ? Map.of() : Map.of("x-goog-api-key", apiKey);
    }

    @Override
    ObjectNode body(String modelId, ChatRequest r) {
      ObjectNode o = MAPPER.createObjectNode();
      if (r.system() != null) {
        o.putObject("systemInstruction").putArray("parts").addObject().put("text", r.system());
      }
      ObjectNode user = o.putArray("contents").addObject();
      user.put("role", "user");
      user.putArray("parts").addObject().put("text", r.user());
      ObjectNode g = o.putObject("generationConfig");
      g.put("maxOutputTokens", r.maxTokens());
      if (r.temperature() != null) {
        g.put("temperature", r.temperature());
      }
      if (r.seed() != null) {
        g.put("seed", r.seed());
      }
      return o;
    }

    @Override
    Parsed parse(JsonNode reply) throws MalformedReply {
      String block = reply.path("promptFeedback").path("blockReason").asText(null);
      if (block != null) {
        return new Parsed(null, 0, 0, null, "prompt blocked: " + block);
      }
      JsonNode candidates = need(reply, "candidates");
      if (!candidates.isArray() || candidates.isEmpty()) {
        throw new MalformedReply("reply has no candidates");
      }
      JsonNode c = candidates.get(0);
      String finish = c.path("finishReason").asText(null);
      if ("SAFETY".equals(finish) || "PROHIBITED_CONTENT".equals(finish) || "BLOCKLIST".equals(finish)
          || "SPII".equals(finish)) {
        return new Parsed(null, 0, 0, finish, "finishReason " + finish);
      }
      JsonNode parts = c.path("content").path("parts");
      StringBuilder text = new StringBuilder();
      boolean any = false;
      for (JsonNode p : parts) {
        if (p.get("text") != null && !p.path("thought").asBoolean(false)) {
          text.append(p.get("text").asText());
          any = true;
        }
      }
      if (!any) {
        throw new MalformedReply("candidate has no text part");
      }
      JsonNode u = reply.get("usageMetadata");
      return new Parsed(text.toString(), usage(u, "promptTokenCount"), usage(u, "candidatesTokenCount"),
          finish, null);
    }
  }

  /** The Authorization header of the APIs that take a bearer token (OpenAI-compatible, Cohere). */
  static Map<String, String> bearer(String apiKey) {
    return apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
  }

  /**
   * The body OpenAI-style chat APIs share (OpenAI-compatible servers and Cohere v2): model, messages
   * with an optional system message, the max-tokens field under its API's name, temperature and seed.
   */
  static ObjectNode chatMessages(String modelId, ChatRequest r, String maxTokensField) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("model", modelId);
    var messages = o.putArray("messages");
    if (r.system() != null) {
      messages.addObject().put("role", "system").put("content", r.system());
    }
    messages.addObject().put("role", "user").put("content", r.user());
    o.put(maxTokensField, r.maxTokens());
    if (r.temperature() != null) {
      o.put("temperature", r.temperature());
    }
    if (r.seed() != null) {
      o.put("seed", r.seed());
    }
    return o;
  }

  /** Cohere v2 chat. */
  static final class Cohere extends WireProtocol {
    @Override
    String name() {
      return "cohere";
    }

    @Override
    String url(String base, String modelId) {
      return stripSlash(base) + "/v2/chat";
    }

    @Override
    Map<String, String> headers(String apiKey) {
      return bearer(apiKey);
    }

    @Override
    ObjectNode body(String modelId, ChatRequest r) {
      return chatMessages(modelId, r, "max_tokens").put("stream", false);
    }

    @Override
    Parsed parse(JsonNode reply) throws MalformedReply {
      JsonNode content = need(need(reply, "message"), "content");
      String finish = reply.path("finish_reason").asText(null);
      StringBuilder text = new StringBuilder();
      boolean any = false;
      for (JsonNode block : content) {
        if ("text".equals(block.path("type").asText()) && block.get("text") != null) {
          text.append(block.get("text").asText());
          any = true;
        }
      }
      if (!any) {
        throw new MalformedReply("message has no text content");
      }
      JsonNode tokens = reply.path("usage").path("tokens");
      return new Parsed(text.toString(), usage(tokens, "input_tokens"), usage(tokens, "output_tokens"),
          finish, null);
    }
  }
}
