package dev.cltbench.clients;

import static dev.cltbench.clients.SpecConformanceTest.JSON;
import static dev.cltbench.clients.SpecConformanceTest.assertValid;
import static dev.cltbench.clients.SpecConformanceTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SpecVersion;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.judge.JudgePrompt;
import dev.cltbench.judge.JudgmentParser;
import dev.cltbench.judge.RubricSchema;
import dev.cltbench.study.Judgment;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Structured judging and reasoning traces against the providers' specifications (../shared/provider-specs),
 * not against our emulator's idea of them: every constrained judge request validates against its
 * provider's request schema, and every reply the emulator sends for them (a forced tool's tool_use, a
 * JSON reply, a trace inline or in a field, a reply cut inside its trace) against the 200 reply schema.
 */
class StructuredAndReasoningConformanceTest {
  static final PipelineDefinition DEF = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
  static final ResponseSchema VERDICT = RubricSchema.of(DEF.rubric());

  static ModelSpec judge(String provider, String modelId, Integer thinking) {
    return new ModelSpec("j-" + provider, provider, modelId, "f", null, null, null, 512, null, null, null, null,
        null, null, null, thinking, null, null, null, null, null, null, null, null);
  }

  /** Sends a judge's request with the verdict schema, validates what arrived, and parses the verdict. */
  void check(String provider, String file, SpecVersion.VersionFlag version, UnaryOperator<ObjectNode> predates,
      String mechanism) throws Exception {
    SpecConformanceTest.Operation op = load(file, version);
    JudgePrompt prompt = new JudgePrompt(DEF.rubric());
    JudgmentParser parser = new JudgmentParser(DEF.rubric());
    try (ModelEmulator e = ModelEmulator.builder().responder(new SyntheticResponder(DEF))
        // prose whenever the request carries no schema: a verdict here proves the constraint arrived
        .behaviour("judge-x", new ModelEmulator.Behaviour(null, false, null, null, 0, null, null, null, 1.0))
        .start()) {
      ModelSpec s = judge(provider, "judge-x", null);
      String url = "openai".equals(PipelineDefinition.protocolOf(provider)) ? e.openAiBaseUrl() : e.baseUrl();
      s = s.withBaseUrl(url, null, null);
      assertEquals(mechanism, ModelClients.structuredMechanism(s));
      try (ModelClient c = ModelClients.create(s, n -> null, RetryPolicy.defaults().withMaxAttempts(1))) {
        for (String answer : List.of("Астана.", "A \"quoted\" <b>answer</b> & more")) {
          String user = prompt.user("Kazakh", "Қазақстанның астанасы қай қала?", "Астана", answer);
          ChatResponse r = c.complete(new ChatRequest(prompt.system(), user, 512, null, null, VERDICT));
          Judgment j = parser.parse("j", r.text());
          assertTrue(j.ok(), provider + ": " + j.failure() + " in " + r.text());
          ChatResponse free = c.complete(new ChatRequest(prompt.system(), user, 512, null, null));
          assertFalse(parser.parse("j", free.text()).ok(), "without a schema this judge answers in prose");
        }
      }
      int constrained = 0;
      for (ModelEmulator.RecordedRequest w : e.recorded()) {
        ObjectNode body = (ObjectNode) JSON.readTree(w.body());
        assertValid(op.request(), predates.apply(body.deepCopy()), provider + " judge request");
        if (body.has("response_format") || body.has("tool_choice") || body.path("generationConfig").has("responseSchema")) {
          constrained++;
        }
      }
      assertEquals(2, constrained);
      Responderless.replies(e, op, provider, predates);
    }
  }

  /** The emulator's replies to constrained requests, validated. */
  static final class Responderless {
    static void replies(ModelEmulator e, SpecConformanceTest.Operation op, String provider,
        UnaryOperator<ObjectNode> predates) throws Exception {
      dev.cltbench.emulator.Responder.Protocol p = switch (PipelineDefinition.protocolOf(provider)) {
        case "anthropic" -> dev.cltbench.emulator.Responder.Protocol.ANTHROPIC;
        case "gemini" -> dev.cltbench.emulator.Responder.Protocol.GEMINI;
        case "cohere" -> dev.cltbench.emulator.Responder.Protocol.COHERE;
        default -> dev.cltbench.emulator.Responder.Protocol.OPENAI;
      };
      JudgePrompt prompt = new JudgePrompt(DEF.rubric());
      var req = new dev.cltbench.emulator.Responder.Request(p, "judge-x", prompt.system(),
          prompt.user("Kazakh", "q", "r", "a"), 512, null, null, p == dev.cltbench.emulator.Responder.Protocol.ANTHROPIC
              ? RubricSchema.NAME : "json");
      JsonNode reply = JSON.readTree(e.replyBody(req));
      assertValid(op.reply(), predates.apply((ObjectNode) reply.deepCopy()), provider + " constrained reply");
      if (p == dev.cltbench.emulator.Responder.Protocol.ANTHROPIC) {
        assertEquals("tool_use", reply.path("stop_reason").asText());
        assertEquals("tool_use", reply.at("/content/0/type").asText());
        assertTrue(reply.at("/content/0/input").isObject());
      }
    }
  }

  @Test
  void openAiJudgeRequestsAndRepliesConform() throws Exception {
    check("openai", "openai-chat.inline.json", SpecVersion.VersionFlag.V202012, b -> b,
        "response_format json_schema (strict)");
    // vLLM, llama.cpp's server and Ollama take the same response_format.
    check("vllm", "openai-chat.inline.json", SpecVersion.VersionFlag.V202012, b -> b,
        "response_format json_schema (strict)");
  }

  @Test
  void anthropicJudgeRequestsAndRepliesConform() throws Exception {
    check("anthropic", "anthropic-messages.inline.json", SpecVersion.VersionFlag.V202012, b -> b,
        "forced tool (tools + tool_choice {type: tool}), the tool_use input");
  }

  @Test
  void geminiJudgeRequestsAndRepliesConform() throws Exception {
    check("gemini", "gemini-generate.inline.json", SpecVersion.VersionFlag.V4, b -> {
      // Exception: the Oct 2024 copy's Schema predates minimum, maximum and propertyOrdering (and allows
      // unknown properties, so they would pass unchecked); googleapis' v1beta content.proto has them
      // (doubles, and a list of property names): checked here, then taken out.
      JsonNode schema = b.path("generationConfig").get("responseSchema");
      if (schema != null) {
        ObjectNode s = (ObjectNode) schema;
        List<String> names = new ArrayList<>();
        s.get("properties").fieldNames().forEachRemaining(names::add);
        List<String> order = new ArrayList<>();
        s.remove("propertyOrdering").forEach(n -> order.add(n.asText()));
        assertEquals(names, order);
        s.get("properties").forEach(prop -> {
          JsonNode min = ((ObjectNode) prop).remove("minimum");
          JsonNode max = ((ObjectNode) prop).remove("maximum");
          assertEquals(min == null, max == null);
          assertTrue(min == null || min.isNumber() && max.isNumber() && min.asDouble() <= max.asDouble());
        });
      }
      return b;
    }, "generationConfig responseMimeType application/json + responseSchema");
  }

  @Test
  void cohereJudgeRequestsAndRepliesConform() throws Exception {
    check("cohere", "cohere-chat.inline.json", SpecVersion.VersionFlag.V202012,
        StructuredAndReasoningConformanceTest::cohereFormatByDiscriminator, "response_format json_object + json_schema");
  }

  /**
   * Exception: Cohere's ResponseFormatV2 is a oneOf of a text and a JSON format whose {@code type}s
   * share one enum, told apart by an OpenAPI discriminator, which JSON Schema validators ignore: both
   * branches match any value, so oneOf fails on every request. The discriminator's mapping is applied
   * here by hand (json_object: JsonResponseFormatV2), then the rest of the body is validated.
   */
  static ObjectNode cohereFormatByDiscriminator(ObjectNode b) {
    JsonNode format = b.remove("response_format");
    if (format != null) {
      try {
        JsonNode spec = JSON.readTree(SpecConformanceTest.SPECS.resolve("cohere-chat.inline.json").toFile());
        JsonNode post = spec.get("paths").elements().next().get("post");
        JsonNode oneOf = post.at("/requestBody/content/application~1json/schema/properties/response_format/oneOf");
        JsonNode json = null;
        for (JsonNode branch : oneOf) {
          if ("JsonResponseFormatV2".equals(branch.path("x-fern-type-name").asText())) {
            json = branch;
          }
        }
        assertTrue(json != null, "the spec has JsonResponseFormatV2");
        assertEquals("json_object", format.path("type").asText());
        assertValid(com.networknt.schema.JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(json),
            format, "cohere response_format");
        assertTrue(format.path("json_schema").isObject());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return b;
  }

  @Test
  void theValidatorRejectsBrokenStructuredRequests() throws Exception {
    // Were the schemas not checked, the tests above would pass on anything: these must fail.
    var openai = load("openai-chat.inline.json", SpecVersion.VersionFlag.V202012);
    JsonNode noSchema = JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"response_format\":{\"type\":\"json_schema\"}}");
    assertFalse(openai.request().validate(noSchema).isEmpty(), "json_schema is required");
    var anthropic = load("anthropic-messages.inline.json", SpecVersion.VersionFlag.V202012);
    JsonNode noName = JSON.readTree("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}],\"tool_choice\":{\"type\":\"tool\"}}");
    assertFalse(anthropic.request().validate(noName).isEmpty(), "a forced tool names the tool");
    var gemini = load("gemini-generate.inline.json", SpecVersion.VersionFlag.V4);
    JsonNode lowerType = JSON.readTree("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":"
        + "{\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"object\"}}}");
    assertFalse(gemini.request().validate(lowerType).isEmpty(), "Gemini's types are upper case");
    var cohere = load("cohere-chat.inline.json", SpecVersion.VersionFlag.V202012);
    JsonNode badType = JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"response_format\":{\"type\":\"json_schema\"}}");
    assertFalse(cohere.request().validate(badType).isEmpty(), "Cohere's type is json_object");
    ObjectNode wrongSchema = (ObjectNode) JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_object\",\"json_schema\":\"not an object\"}}");
    assertThrows(org.opentest4j.AssertionFailedError.class, () -> cohereFormatByDiscriminator(wrongSchema),
        "the hand-applied discriminator still checks the JSON format");
  }

  // ---- reasoning traces ----

  @Test
  void repliesWithTracesConformAndTheirAnswersComeOutAlone() throws Exception {
    SpecConformanceTest.Operation op = load("openai-chat.inline.json", SpecVersion.VersionFlag.V202012);
    // reasoning_content is not in OpenAI's schema: ChatCompletionResponseMessage lists role, content,
    // refusal... but sets no additionalProperties, so properties it does not list are allowed (JSON Schema's
    // default). The validator must therefore pass a reply that carries one; checked here, not assumed.
    JsonNode spec = JSON.readTree(SpecConformanceTest.SPECS.resolve("openai-chat.json").toFile());
    assertTrue(spec.at("/components/schemas/ChatCompletionResponseMessage/additionalProperties").isMissingNode());
    for (String shape : List.of("think-tags", "reasoning_content", "reasoning")) {
      for (String truncate : new String[] {null, "with_text"}) {
        try (ModelEmulator e = ModelEmulator.builder()
            .behaviour("qwen-x", new ModelEmulator.Behaviour(truncate, false, null, null, 0, null, null, shape, 0))
            .start()) {
          var req = new dev.cltbench.emulator.Responder.Request(dev.cltbench.emulator.Responder.Protocol.OPENAI,
              "qwen-x", null, "Қазақстанның астанасы қай қала?", 512, null, null);
          JsonNode reply = JSON.readTree(e.replyBody(req));
          assertValid(op.reply(), reply, shape + " reply (" + truncate + ")");
          ModelSpec s = judge("vllm", "qwen-x", null).withBaseUrl(e.openAiBaseUrl(), null, null);
          try (ModelClient c = ModelClients.create(s, n -> null, RetryPolicy.defaults().withMaxAttempts(1))) {
            if (truncate == null) {
              ChatResponse r = c.complete(new ChatRequest(null, req.user(), 512, null, null));
              assertFalse(r.text().contains("think") || r.text().contains("Okay"), r.text());
              assertTrue(r.reasoning().startsWith("Okay, let me think"), r.reasoning());
              assertTrue(r.usage().reasoningTokens() > 0, "the trace counted as reasoning: " + r.usage());
              assertTrue(r.usage().reasoningTokens() < r.usage().outputTokens());
            } else if (shape.equals("think-tags")) {
              // <think> never closed: no answer at all, a permanent truncated failure with its trace.
              ModelCallException x = assertThrows(ModelCallException.class,
                  () -> c.complete(new ChatRequest(null, req.user(), 512, null, null)));
              assertEquals(ModelCallException.TRUNCATED, x.kind(), x.getMessage());
              assertTrue(x.reasoning() != null && x.reasoning().startsWith("Okay"), shape + ": " + x.reasoning());
              assertNull(x.text());
              assertEquals(1, x.attempts(), "a reply cut inside its trace is not asked again");
            } else {
              // The field holds the cut trace, content is empty, finish_reason length: a cut reply, which
              // ModelCalls fails as truncated (as OpenAI's own reasoning models' empty content).
              ChatResponse r = c.complete(new ChatRequest(null, req.user(), 512, null, null));
              assertTrue(r.truncated());
              assertEquals("", r.text());
              assertTrue(r.reasoning().startsWith("Okay"), r.reasoning());
            }
          }
        }
      }
    }
  }
}
