package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.Responder;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Checks the clients and the emulator against what neither of them wrote: the providers' OpenAPI
 * specifications in ../shared/provider-specs (cut to the one operation each, local $refs inlined),
 * validated with networknt's json-schema-validator. Every request each client sends, with every
 * optional parameter on and off, must validate against the operation's request body schema; every
 * reply the emulator sends (plain, cut with and without text, no text, reasoning and thinking usage,
 * Cohere's billed units, refusals) against its 200 response schema.
 *
 * <p>Two copies are older than the providers' current references (their README says what they lack);
 * the fields they predate are taken out before validation, each named below next to its reason, so
 * that everything else is still checked.
 */
class SpecConformanceTest {
  static final Path SPECS = Path.of("../shared/provider-specs");
  static final ObjectMapper JSON = new ObjectMapper();

  /** One operation's schemas: the request body and the 200 reply, with the spec's components beside them. */
  record Operation(JsonSchema request, JsonSchema reply, List<String> requiredHeaders) {}

  static Operation load(String file, SpecVersion.VersionFlag version) throws IOException {
    JsonNode spec = JSON.readTree(SPECS.resolve(file).toFile());
    JsonNode post = spec.get("paths").elements().next().get("post");
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version);
    List<String> headers = new ArrayList<>();
    for (JsonNode p : post.path("parameters")) {
      if ("header".equals(p.path("in").asText()) && p.path("required").asBoolean(false)) {
        headers.add(p.get("name").asText().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return new Operation(
        factory.getSchema(withComponents(post.at("/requestBody/content/application~1json/schema"), spec), config),
        factory.getSchema(withComponents(post.at("/responses/200/content/application~1json/schema"), spec), config),
        headers);
  }

  private static JsonNode withComponents(JsonNode schema, JsonNode spec) {
    assertFalse(schema.isMissingNode(), "the spec has this schema");
    ObjectNode s = schema.deepCopy();
    if (spec.has("components")) {
      s.set("components", spec.get("components"));
    }
    return s;
  }

  static void assertValid(JsonSchema schema, JsonNode body, String what) {
    Set<ValidationMessage> errors = schema.validate(body);
    assertTrue(errors.isEmpty(), what + " does not conform: " + errors + "\n" + body);
  }

  // ---- requests: every parameter on and off, as the clients send them to the emulator ----

  static ModelSpec spec(String provider, String field, String effort, Integer thinking, String apiVersion) {
    return new ModelSpec("m", provider, "model-x", "f", null, null, null, 512, null, null, null, null, null,
        field, effort, thinking, null, apiVersion, null);
  }

  /** Every optional parameter combination of one provider's requests. */
  static List<ModelSpec> variants(String provider) {
    List<ModelSpec> out = new ArrayList<>();
    switch (provider) {
      case "openai" -> {
        for (String field : new String[] {null, "max_tokens", "max_completion_tokens"}) {
          for (String effort : new String[] {null, "low", "none", "xhigh"}) {
            out.add(spec("openai", field, effort, null, null));
          }
        }
        out.add(spec("vllm", null, null, null, null));
      }
      case "anthropic" -> {
        for (Integer thinking : new Integer[] {null, 1024}) {
          for (String v : new String[] {null, "2023-06-01"}) {
            out.add(spec("anthropic", null, null, thinking, v));
          }
        }
      }
      case "gemini" -> {
        for (Integer thinking : new Integer[] {null, 0, 256, -1}) {
          out.add(spec("gemini", null, null, thinking, null));
        }
      }
      default -> out.add(spec(provider, null, null, null, null));
    }
    return out;
  }

  static List<ChatRequest> requests() {
    List<ChatRequest> out = new ArrayList<>();
    for (String system : new String[] {null, "Answer briefly."}) {
      for (Double t : new Double[] {null, 0.0, 0.7}) {
        for (Long seed : new Long[] {null, 0L, 42L}) {
          out.add(new ChatRequest(system, "Қазақстанның астанасы қай қала?", 512, t, seed));
        }
      }
    }
    return out;
  }

  /**
   * Sends every variant of every request through the real client to the emulator and validates what
   * arrived. {@code predates} removes the fields a spec copy is too old to know.
   */
  void checkRequests(String provider, String file, SpecVersion.VersionFlag version, UnaryOperator<ObjectNode> predates)
      throws Exception {
    Operation op = load(file, version);
    try (ModelEmulator e = ModelEmulator.builder().start()) {
      int sent = 0;
      for (ModelSpec base : variants(provider)) {
        String url = provider.equals("openai") || provider.equals("vllm") ? e.openAiBaseUrl() : e.baseUrl();
        ModelSpec s = base.withBaseUrl(url, null, null);
        try (ModelClient c = ModelClients.create(s, n -> null, RetryPolicy.defaults().withMaxAttempts(1))) {
          for (ChatRequest r : requests()) {
            // Anthropic takes no temperature with thinking on; the pipeline file's check refuses it.
            Double t = provider.equals("anthropic") && s.thinking() != null ? null : r.temperature();
            c.complete(new ChatRequest(r.system(), r.user(), r.maxTokens(), t, r.seed()));
            sent++;
          }
        }
      }
      List<ModelEmulator.RecordedRequest> seen = e.recorded();
      assertEquals(sent, seen.size());
      Set<String> fields = new TreeSet<>();
      for (ModelEmulator.RecordedRequest w : seen) {
        ObjectNode body = (ObjectNode) JSON.readTree(w.body());
        body.fieldNames().forEachRemaining(fields::add);
        assertValid(op.request(), predates.apply(body.deepCopy()), provider + " request");
        for (String h : op.requiredHeaders()) {
          if (!h.equals("x-api-key")) { // the key is sent when one is configured (none here)
            assertTrue(w.headers().containsKey(h), provider + " request lacks required header " + h);
          }
        }
      }
      assertFalse(fields.isEmpty());
    }
  }

  @Test
  void openAiRequestsConform() throws Exception {
    checkRequests("openai", "openai-chat.inline.json", SpecVersion.VersionFlag.V202012, b -> b);
  }

  @Test
  void anthropicRequestsConform() throws Exception {
    checkRequests("anthropic", "anthropic-messages.inline.json", SpecVersion.VersionFlag.V202012, b -> {
      // Exception: the Nov 2024 copy predates extended thinking; the current reference
      // (docs.anthropic.com, Messages) takes thinking: {type: "enabled", budget_tokens >= 1024}.
      JsonNode thinking = b.remove("thinking");
      if (thinking != null) {
        assertEquals("enabled", thinking.get("type").asText());
        assertTrue(thinking.get("budget_tokens").asInt() >= 1024);
      }
      return b;
    });
  }

  @Test
  void geminiRequestsConform() throws Exception {
    checkRequests("gemini", "gemini-generate.inline.json", SpecVersion.VersionFlag.V4, b -> {
      // Exception: the Oct 2024 copy predates generationConfig.thinkingConfig (it allows unknown
      // properties, so it would pass unchecked); googleapis' generative_service.proto (v1beta) has
      // ThinkingConfig.thinking_budget, an int32: checked here instead.
      JsonNode g = b.get("generationConfig");
      JsonNode thinking = g == null ? null : ((ObjectNode) g).remove("thinkingConfig");
      if (thinking != null) {
        assertTrue(thinking.get("thinkingBudget").isInt());
      }
      return b;
    });
  }

  @Test
  void cohereRequestsConform() throws Exception {
    checkRequests("cohere", "cohere-chat.inline.json", SpecVersion.VersionFlag.V202012, b -> b);
  }

  // ---- replies: every hard case the emulator speaks ----

  static List<ModelEmulator.Behaviour> hardCases() {
    List<ModelEmulator.Behaviour> out = new ArrayList<>();
    for (String truncate : new String[] {null, "with_text", "no_text"}) {
      for (long reasoning : new long[] {0, 300}) {
        out.add(new ModelEmulator.Behaviour(truncate, false, 100L, 40L, reasoning, null, null));
        out.add(new ModelEmulator.Behaviour(truncate, false, 71L, 40L, reasoning, 5L, 30L));
      }
    }
    out.add(new ModelEmulator.Behaviour(null, true, 100L, 40L, 0, null, null));
    out.add(new ModelEmulator.Behaviour(null, true, 100L, 40L, 500, null, null));
    return out;
  }

  void checkReplies(Responder.Protocol protocol, String file, SpecVersion.VersionFlag version,
      UnaryOperator<ObjectNode> predates) throws Exception {
    Operation op = load(file, version);
    int checked = 0;
    List<ModelEmulator.Behaviour> cases = hardCases();
    for (int i = 0; i < cases.size(); i++) {
      String model = "model-" + i;
      try (ModelEmulator e = ModelEmulator.builder().behaviour(model, cases.get(i)).start()) {
        Responder.Request r = new Responder.Request(protocol, model, "Answer briefly.", "What is the capital?",
            512, null, null);
        assertValid(op.reply(), predates.apply((ObjectNode) JSON.readTree(e.replyBody(r))),
            protocol + " reply " + cases.get(i));
        checked++;
        if (protocol != Responder.Protocol.COHERE) { // Cohere refuses with a 400, not a 200 body
          assertValid(op.reply(), predates.apply((ObjectNode) JSON.readTree(e.refusalBody(r))),
              protocol + " refusal");
        }
      }
    }
    assertEquals(cases.size(), checked);
  }

  @Test
  void openAiRepliesConform() throws Exception {
    checkReplies(Responder.Protocol.OPENAI, "openai-chat.inline.json", SpecVersion.VersionFlag.V202012, b -> b);
  }

  @Test
  void anthropicRepliesConform() throws Exception {
    checkReplies(Responder.Protocol.ANTHROPIC, "anthropic-messages.inline.json", SpecVersion.VersionFlag.V202012, b -> {
      // Exceptions: the Nov 2024 copy predates the "refusal" stop reason and "thinking" content
      // blocks ({type, thinking, signature}); both are in the current reference (docs.anthropic.com).
      if ("refusal".equals(b.path("stop_reason").asText())) {
        b.put("stop_reason", "end_turn");
      }
      ArrayNode content = (ArrayNode) b.get("content");
      for (int i = content.size() - 1; i >= 0; i--) {
        if ("thinking".equals(content.get(i).path("type").asText())) {
          assertTrue(content.get(i).has("signature"), "a thinking block carries its signature");
          content.remove(i);
        }
      }
      return b;
    });
  }

  @Test
  void geminiRepliesConform() throws Exception {
    checkReplies(Responder.Protocol.GEMINI, "gemini-generate.inline.json", SpecVersion.VersionFlag.V4, b -> {
      // Exception: the Oct 2024 copy predates usageMetadata.thoughtsTokenCount (unknown properties
      // pass there unchecked); generative_service.proto has it as an int32, billed as output.
      JsonNode u = b.get("usageMetadata");
      JsonNode thoughts = u == null ? null : ((ObjectNode) u).remove("thoughtsTokenCount");
      if (thoughts != null) {
        assertTrue(thoughts.isInt());
      }
      return b;
    });
  }

  @Test
  void cohereRepliesConform() throws Exception {
    checkReplies(Responder.Protocol.COHERE, "cohere-chat.inline.json", SpecVersion.VersionFlag.V202012, b -> b);
  }

  @Test
  void theValidatorRejectsWhatTheSpecsForbid() throws Exception {
    // A validator that accepts everything would make the tests above pass: it must catch these.
    Operation openai = load("openai-chat.inline.json", SpecVersion.VersionFlag.V202012);
    ObjectNode noModel = (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertFalse(openai.request().validate(noModel).isEmpty(), "model is required");
    ObjectNode badEffort = (ObjectNode) JSON.readTree(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":\"huge\"}");
    assertFalse(openai.request().validate(badEffort).isEmpty(), "reasoning_effort is an enum");
    Operation anthropic = load("anthropic-messages.inline.json", SpecVersion.VersionFlag.V202012);
    ObjectNode noMax = (ObjectNode) JSON.readTree(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertFalse(anthropic.request().validate(noMax).isEmpty(), "max_tokens is required");
    ObjectNode noRole = (ObjectNode) JSON.readTree("{\"id\":\"x\",\"type\":\"message\",\"content\":[],"
        + "\"model\":\"m\",\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}");
    assertFalse(anthropic.reply().validate(noRole).isEmpty(), "role is required in a reply");
    Operation gemini = load("gemini-generate.inline.json", SpecVersion.VersionFlag.V4);
    ObjectNode stringTokens = (ObjectNode) JSON.readTree("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],"
        + "\"generationConfig\":{\"maxOutputTokens\":\"many\"}}");
    assertFalse(gemini.request().validate(stringTokens).isEmpty(), "maxOutputTokens is an integer");
    Operation cohere = load("cohere-chat.inline.json", SpecVersion.VersionFlag.V202012);
    ObjectNode noFinish = (ObjectNode) JSON.readTree("{\"id\":\"x\",\"message\":{\"role\":\"assistant\"}}");
    assertFalse(cohere.reply().validate(noFinish).isEmpty(), "finish_reason is required");
  }
}
