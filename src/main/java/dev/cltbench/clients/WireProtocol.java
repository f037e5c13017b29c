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

  /**
   * What a 200 body said: the text (null when the reply has none), the usage it reports, the finish
   * reason and model version as sent, a refusal (a permanent failure, never a graded answer), and
   * whether the finish reason says the text was cut at the token limit.
   */
  record Parsed(String text, Usage usage, String finishReason, String modelVersion, String refusal,
      boolean truncated, String reasoning) {
    Parsed(String text, Usage usage, String finishReason, String modelVersion, String refusal, boolean truncated) {
      this(text, usage, finishReason, modelVersion, refusal, truncated, null);
    }
  }

  /** Where this model's reasoning trace is, kept apart from the answer ({@link ReasoningTrace}). */
  private ReasoningTrace reasoning = ReasoningTrace.NONE;

  /** This protocol, keeping traces apart as {@code trace} says. */
  WireProtocol keeping(ReasoningTrace trace) {
    this.reasoning = trace;
    return this;
  }

  /**
   * A reply's text and its own reasoning (a field, thinking blocks, thought parts) as the model's
   * reasoning mode keeps them: the trace out of the answer, the trace counted as reasoning tokens where
   * the reply did not say, and a text that is only a trace never closed (cut inside it) as no text,
   * cut at the token limit.
   */
  Parsed kept(String text, String fieldTrace, Usage usage, String finish, String version, boolean truncated) {
    ReasoningTrace.Split split = reasoning.split(text, fieldTrace);
    // Only where the trace is the whole reasoning as generated (OpenAI-compatible servers): Anthropic's
    // thinking blocks are summaries, Gemini reports its thoughtsTokenCount.
    Usage counted = this instanceof OpenAiCompatible ? ReasoningTrace.counted(usage, split.answer(), split.trace())
        : usage;
    return new Parsed(split.answer(), counted, finish, version, null, truncated || split.unclosed(), split.trace());
  }

  /** The protocol of {@code spec}: its provider's wire format with the entry's own settings. */
  static WireProtocol of(dev.cltbench.study.PipelineDefinition.ModelSpec spec) {
    String protocol = dev.cltbench.study.PipelineDefinition.protocolOf(spec.provider());
    WireProtocol p = switch (protocol == null ? "" : protocol) {
      case "anthropic" -> new Anthropic(spec.apiVersion(), spec.thinking());
      case "gemini" -> new Gemini(spec.thinking());
      case "cohere" -> new Cohere();
      default -> new OpenAiCompatible(spec.maxTokensField() != null ? spec.maxTokensField()
          // OpenAI's own API deprecates max_tokens (its reasoning models reject it); the servers that
          // copy the protocol (vLLM, routers, xAI...) all take max_tokens. By provider, never by host.
          : "openai".equalsIgnoreCase(spec.provider()) ? "max_completion_tokens" : "max_tokens",
          spec.reasoningEffort());
    };
    return p.keeping(ReasoningTrace.of(spec));
  }

  /** How this protocol constrains a reply to a schema, as the run manifest names it. */
  abstract String structuredMechanism();

  /** The schema of {@code s} as a JSON object. */
  static ObjectNode schemaOf(ResponseSchema s) {
    try {
      return (ObjectNode) MAPPER.readTree(s.schemaJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException("schema " + s.name() + " is not a JSON object: " + e.getMessage());
    }
  }

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
    // Cohere's counts are JSON numbers that may be written as 5.0.
    return v != null && v.isNumber() ? Math.round(v.asDouble()) : 0;
  }

  /** OpenAI chat completions, also served by xAI, DeepSeek, Hugging Face's router, Together, vLLM, Ollama, llama.cpp. */
  static final class OpenAiCompatible extends WireProtocol {
    private final String maxTokensField;
    private final String reasoningEffort;

    /**
     * @param maxTokensField max_tokens or max_completion_tokens (OpenAI's current name)
     * @param reasoningEffort reasoning_effort of OpenAI reasoning models, or null
     */
    OpenAiCompatible(String maxTokensField, String reasoningEffort) {
      this.maxTokensField = maxTokensField;
      this.reasoningEffort = reasoningEffort;
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
      ObjectNode o = chatMessages(modelId, r, maxTokensField);
      if (reasoningEffort != null) {
        o.put("reasoning_effort", reasoningEffort);
      }
      if (r.schema() != null) {
        // Structured Outputs; vLLM (guided decoding), llama.cpp's server, Ollama and SGLang take the same.
        ObjectNode js = o.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        js.put("name", r.schema().name());
        if (r.schema().description() != null) {
          js.put("description", r.schema().description());
        }
        js.set("schema", schemaOf(r.schema()));
        js.put("strict", true);
      }
      return o;
    }

    @Override
    String structuredMechanism() {
      return "response_format json_schema (strict)";
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
      String version = reply.path("model").asText(null);
      JsonNode u = reply.get("usage");
      Usage usage = new Usage(usage(u, "prompt_tokens"), usage(u, "completion_tokens"),
          usage(u == null ? null : u.get("completion_tokens_details"), "reasoning_tokens"), null, null);
      JsonNode refusal = message.get("refusal");
      if (refusal != null && refusal.isTextual() && !refusal.asText().isBlank()) {
        return new Parsed(null, usage, finish, version, "refusal: " + refusal.asText(), false);
      }
      if ("content_filter".equals(finish)) {
        return new Parsed(null, usage, finish, version, "finish_reason content_filter", false);
      }
      JsonNode content = message.get("content");
      String text = content != null && content.isTextual() ? content.asText() : null;
      // DeepSeek's API and vLLM's reasoning parsers send reasoning_content; some servers name it reasoning.
      JsonNode field = message.hasNonNull("reasoning_content") ? message.get("reasoning_content")
          : message.get("reasoning");
      return kept(text, field != null && field.isTextual() ? field.asText() : null, usage, finish, version,
          "length".equals(finish));
    }
  }

  /** Anthropic Messages API. */
  static final class Anthropic extends WireProtocol {
    /** The version sent when the entry names none (api_version). */
    static final String DEFAULT_VERSION = "2023-06-01";

    private final String version;
    private final Integer thinkingBudget;

    Anthropic(String version, Integer thinkingBudget) {
      this.version = version == null ? DEFAULT_VERSION : version;
      this.thinkingBudget = thinkingBudget;
    }

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
      h.put("anthropic-version", version);
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
      if (thinkingBudget != null) {
        // Extended thinking: budget_tokens count inside max_tokens and are billed as output.
        o.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
      }
      if (r.schema() != null) {
        // A tool whose input schema is the verdict, forced: its tool_use block's input is the reply.
        ObjectNode tool = o.putArray("tools").addObject().put("name", r.schema().name());
        if (r.schema().description() != null) {
          tool.put("description", r.schema().description());
        }
        tool.set("input_schema", schemaOf(r.schema()));
        o.putObject("tool_choice").put("type", "tool").put("name", r.schema().name());
      }
      // The Messages API has no seed parameter.
      return o;
    }

    @Override
    String structuredMechanism() {
      return "forced tool (tools + tool_choice {type: tool}), the tool_use input";
    }

    @Override
    Parsed parse(JsonNode reply) throws MalformedReply {
      JsonNode content = need(reply, "content");
      String stop = reply.path("stop_reason").asText(null);
      String version = reply.path("model").asText(null);
      JsonNode u = reply.get("usage");
      // output_tokens include thinking; the API reports no thinking count of its own.
      Usage usage = new Usage(usage(u, "input_tokens"), usage(u, "output_tokens"), 0, null, null);
      if ("refusal".equals(stop)) {
        return new Parsed(null, usage, stop, version, "stop_reason refusal", false);
      }
      if (!content.isArray()) {
        throw new MalformedReply("content is not an array");
      }
      StringBuilder text = new StringBuilder();
      StringBuilder thinking = new StringBuilder();
      String toolInput = null;
      boolean any = false;
      for (JsonNode block : content) {
        String type = block.path("type").asText();
        if ("text".equals(type) && block.get("text") != null) {
          text.append(block.get("text").asText());
          any = true;
        } else if ("thinking".equals(type) && block.hasNonNull("thinking")) {
          thinking.append(thinking.isEmpty() ? "" : "\n\n").append(block.get("thinking").asText());
        } else if ("tool_use".equals(type) && block.has("input") && toolInput == null) {
          toolInput = block.get("input").toString(); // the forced verdict tool's input is the reply
        }
      }
      boolean cut = "max_tokens".equals(stop) || "model_context_window_exceeded".equals(stop);
      String said = toolInput != null ? toolInput : any ? text.toString() : null;
      return kept(said, thinking.isEmpty() ? null : thinking.toString(), usage, stop, version, cut);
    }
  }

  /** Google Gemini generateContent (v1beta). */
  static final class Gemini extends WireProtocol {
    private final Integer thinkingBudget;

    Gemini(Integer thinkingBudget) {
      this.thinkingBudget = thinkingBudget;
    }

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
      if (thinkingBudget != null) {
        g.putObject("thinkingConfig").put("thinkingBudget", thinkingBudget);
      }
      if (r.schema() != null) {
        g.put("responseMimeType", "application/json");
        g.set("responseSchema", openApiSubset(schemaOf(r.schema())));
      }
      return o;
    }

    @Override
    String structuredMechanism() {
      return "generationConfig responseMimeType application/json + responseSchema";
    }

    /**
     * A JSON schema as Gemini's Schema (a subset of OpenAPI 3.0): upper-case types, no
     * additionalProperties (Gemini's object allows only the properties it lists), properties in order.
     */
    static ObjectNode openApiSubset(JsonNode schema) {
      ObjectNode out = MAPPER.createObjectNode();
      if (schema.has("type")) {
        out.put("type", schema.get("type").asText().toUpperCase(java.util.Locale.ROOT));
      }
      for (String keep : new String[] {"description", "minimum", "maximum", "enum", "required"}) {
        if (schema.has(keep)) {
          out.set(keep, schema.get(keep));
        }
      }
      if (schema.has("properties")) {
        ObjectNode props = out.putObject("properties");
        var order = MAPPER.createArrayNode();
        schema.get("properties").fields().forEachRemaining(e -> {
          props.set(e.getKey(), openApiSubset(e.getValue()));
          order.add(e.getKey());
        });
        out.set("propertyOrdering", order);
      }
      if (schema.has("items")) {
        out.set("items", openApiSubset(schema.get("items")));
      }
      return out;
    }

    @Override
    Parsed parse(JsonNode reply) throws MalformedReply {
      JsonNode u = reply.get("usageMetadata");
      long thoughts = usage(u, "thoughtsTokenCount");
      // Thinking is billed as output beside the candidates' tokens.
      Usage usage = new Usage(usage(u, "promptTokenCount"), usage(u, "candidatesTokenCount") + thoughts,
          thoughts, null, null);
      String version = reply.path("modelVersion").asText(null);
      String block = reply.path("promptFeedback").path("blockReason").asText(null);
      if (block != null) {
        return new Parsed(null, usage, null, version, "prompt blocked: " + block, false);
      }
      JsonNode candidates = need(reply, "candidates");
      if (!candidates.isArray() || candidates.isEmpty()) {
        throw new MalformedReply("reply has no candidates");
      }
      JsonNode c = candidates.get(0);
      String finish = c.path("finishReason").asText(null);
      if ("SAFETY".equals(finish) || "PROHIBITED_CONTENT".equals(finish) || "BLOCKLIST".equals(finish)
          || "SPII".equals(finish) || "RECITATION".equals(finish)) {
        return new Parsed(null, usage, finish, version, "finishReason " + finish, false);
      }
      JsonNode parts = c.path("content").path("parts");
      StringBuilder text = new StringBuilder();
      StringBuilder thought = new StringBuilder();
      boolean any = false;
      for (JsonNode p : parts) {
        if (p.get("text") != null && !p.path("thought").asBoolean(false)) {
          text.append(p.get("text").asText());
          any = true;
        } else if (p.get("text") != null) {
          thought.append(thought.isEmpty() ? "" : "\n\n").append(p.get("text").asText()); // includeThoughts
        }
      }
      // MAX_TOKENS may come with no parts at all: thinking used the whole maxOutputTokens.
      return kept(any ? text.toString() : null, thought.isEmpty() ? null : thought.toString(), usage, finish,
          version, "MAX_TOKENS".equals(finish));
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
      ObjectNode o = chatMessages(modelId, r, "max_tokens").put("stream", false);
      if (r.schema() != null) {
        // Cohere's schema constraints have no numeric ranges: the range stays in each description, and
        // the parser checks it.
        o.putObject("response_format").put("type", "json_object").set("json_schema", withoutRanges(schemaOf(r.schema())));
      }
      return o;
    }

    @Override
    String structuredMechanism() {
      return "response_format json_object + json_schema";
    }

    static JsonNode withoutRanges(JsonNode schema) {
      ObjectNode out = schema.deepCopy();
      out.remove("minimum");
      out.remove("maximum");
      if (out.has("properties")) {
        ObjectNode props = (ObjectNode) out.get("properties");
        props.fields().forEachRemaining(e -> e.setValue(withoutRanges(e.getValue())));
      }
      return out;
    }

    @Override
    Parsed parse(JsonNode reply) throws MalformedReply {
      JsonNode message = need(reply, "message");
      String finish = reply.path("finish_reason").asText(null);
      if ("ERROR".equals(finish) || "TIMEOUT".equals(finish)) {
        throw new MalformedReply("finish_reason " + finish + " (the generation failed on Cohere's side)");
      }
      StringBuilder text = new StringBuilder();
      StringBuilder thinking = new StringBuilder();
      boolean any = false;
      for (JsonNode block : message.path("content")) {
        if ("text".equals(block.path("type").asText()) && block.get("text") != null) {
          text.append(block.get("text").asText());
          any = true;
        } else if ("thinking".equals(block.path("type").asText()) && block.hasNonNull("thinking")) {
          thinking.append(thinking.isEmpty() ? "" : "\n\n").append(block.get("thinking").asText());
        }
      }
      JsonNode tokens = reply.path("usage").path("tokens");
      JsonNode billed = reply.path("usage").path("billed_units");
      // billed_units is what Cohere bills; tokens is what the model saw (71 vs 5 in Cohere's example).
      Usage usage = new Usage(usage(tokens, "input_tokens"), usage(tokens, "output_tokens"), 0,
          billed.has("input_tokens") ? usage(billed, "input_tokens") : null,
          billed.has("output_tokens") ? usage(billed, "output_tokens") : null);
      return kept(any ? text.toString() : null, thinking.isEmpty() ? null : thinking.toString(), usage, finish, null,
          "MAX_TOKENS".equals(finish));
    }
  }
}
