package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.Responder;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each provider protocol against the emulator on 127.0.0.1: request on the wire, parsed reply. */
class ProtocolClientsTest {
  static final String KEY = "sk-emu-7f3a9c";
  static final Function<String, String> ENV = name -> name.equals("EMU_KEY") ? KEY : null;
  static final ObjectMapper JSON = new ObjectMapper();

  final List<Responder.Request> seen = new CopyOnWriteArrayList<>();
  ModelEmulator emulator;

  @BeforeEach
  void start() throws Exception {
    emulator = ModelEmulator.builder().requireKey(KEY)
        .responder(r -> {
          seen.add(r);
          return new Responder.Reply("reply to " + r.user(), 0, 11, 7);
        })
        .start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  static ModelSpec spec(String provider, String model, String base, String keyEnv, String route) {
    return new ModelSpec("m-" + provider, provider, model, "f", base, keyEnv, route, 100, null, null,
        null, null, null);
  }

  static RetryPolicy fast() {
    return RetryPolicy.defaults().withMaxAttempts(3)
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  private ChatResponse call(ModelSpec spec, ChatRequest req) throws ModelCallException {
    try (ModelClient c = ModelClients.create(spec, ENV, fast())) {
      return c.complete(req);
    }
  }

  private ModelEmulator.RecordedRequest last() {
    List<ModelEmulator.RecordedRequest> all = emulator.recorded();
    return all.get(all.size() - 1);
  }

  @Test
  void openAiChatCompletions() throws Exception {
    ChatResponse r = call(spec("openai", "gpt-x", emulator.openAiBaseUrl(), "EMU_KEY", null),
        new ChatRequest("be brief", "hello", 77, 0.5, 42L));
    assertEquals("reply to hello", r.text());
    assertEquals(11, r.inputTokens());
    assertEquals(7, r.outputTokens());
    assertEquals("stop", r.finishReason());
    ModelEmulator.RecordedRequest w = last();
    assertEquals("/v1/chat/completions", w.path());
    assertEquals("Bearer " + KEY, w.headers().get("authorization"));
    JsonNode body = JSON.readTree(w.body());
    assertEquals("gpt-x", body.get("model").asText());
    assertEquals("system", body.at("/messages/0/role").asText());
    assertEquals("be brief", body.at("/messages/0/content").asText());
    assertEquals("user", body.at("/messages/1/role").asText());
    // Provider openai: OpenAI's current field, whatever the host (max_tokens is deprecated there).
    assertEquals(77, body.get("max_completion_tokens").asInt());
    assertFalse(body.has("max_tokens"));
    assertEquals(42, body.get("seed").asLong());
    assertEquals(0.5, body.get("temperature").asDouble());
    assertEquals(new Responder.Request(Responder.Protocol.OPENAI, "gpt-x", "be brief", "hello", 77, 0.5, 42L),
        seen.get(0));
  }

  @Test
  void openAiWithoutSystemOrTemperatureSendsNeither() throws Exception {
    call(spec("vllm", "local", emulator.openAiBaseUrl(), "EMU_KEY", null),
        new ChatRequest(null, "hi", 5, null, null));
    JsonNode body = JSON.readTree(last().body());
    assertEquals(1, body.get("messages").size());
    assertFalse(body.has("temperature"));
    assertFalse(body.has("seed"));
    assertNull(seen.get(0).system());
  }

  @Test
  void routeBecomesTheRouterProviderSuffix() throws Exception {
    call(spec("huggingface", "Qwen/Qwen3-235B", emulator.openAiBaseUrl(), "EMU_KEY", "together"),
        new ChatRequest(null, "hi", 5, null, null));
    assertEquals("Qwen/Qwen3-235B:together", seen.get(0).modelId());
  }

  @Test
  void anthropicMessages() throws Exception {
    ChatResponse r = call(spec("anthropic", "claude-x", emulator.baseUrl(), "EMU_KEY", null),
        new ChatRequest("be brief", "hello", 77, 0.2, 42L));
    assertEquals("reply to hello", r.text());
    assertEquals(11, r.inputTokens());
    assertEquals(7, r.outputTokens());
    assertEquals("end_turn", r.finishReason());
    ModelEmulator.RecordedRequest w = last();
    assertEquals("/v1/messages", w.path());
    assertEquals(KEY, w.headers().get("x-api-key"));
    assertEquals("2023-06-01", w.headers().get("anthropic-version"));
    assertNull(w.headers().get("authorization"));
    JsonNode body = JSON.readTree(w.body());
    assertEquals("be brief", body.get("system").asText());
    assertEquals(1, body.get("messages").size());
    assertEquals(77, body.get("max_tokens").asInt());
    assertFalse(body.has("seed"), "the Messages API has no seed");
  }

  @Test
  void geminiGenerateContent() throws Exception {
    ChatResponse r = call(spec("gemini", "gemini-x", emulator.baseUrl(), "EMU_KEY", null),
        new ChatRequest("be brief", "hello", 77, 0.3, 9L));
    assertEquals("reply to hello", r.text());
    assertEquals(11, r.inputTokens());
    assertEquals(7, r.outputTokens());
    ModelEmulator.RecordedRequest w = last();
    assertEquals("/v1beta/models/gemini-x:generateContent", w.path());
    assertEquals(KEY, w.headers().get("x-goog-api-key"));
    JsonNode body = JSON.readTree(w.body());
    assertEquals("be brief", body.at("/systemInstruction/parts/0/text").asText());
    assertEquals("hello", body.at("/contents/0/parts/0/text").asText());
    assertEquals(77, body.at("/generationConfig/maxOutputTokens").asInt());
    assertEquals(9, body.at("/generationConfig/seed").asLong());
    assertEquals(new Responder.Request(Responder.Protocol.GEMINI, "gemini-x", "be brief", "hello", 77, 0.3, 9L),
        seen.get(0));
  }

  @Test
  void cohereV2Chat() throws Exception {
    ChatResponse r = call(spec("cohere", "command-x", emulator.baseUrl(), "EMU_KEY", null),
        new ChatRequest("be brief", "hello", 77, null, 3L));
    assertEquals("reply to hello", r.text());
    assertEquals(11, r.inputTokens());
    assertEquals(7, r.outputTokens());
    assertEquals("COMPLETE", r.finishReason());
    ModelEmulator.RecordedRequest w = last();
    assertEquals("/v2/chat", w.path());
    assertEquals("Bearer " + KEY, w.headers().get("authorization"));
    JsonNode body = JSON.readTree(w.body());
    assertEquals("system", body.at("/messages/0/role").asText());
    assertEquals("hello", body.at("/messages/1/content").asText());
  }

  @Test
  void wrongKeyIs401NotRetriedAndNotEchoed() {
    Function<String, String> wrong = n -> "sk-wrong-000";
    for (String provider : List.of("openai", "anthropic", "gemini", "cohere")) {
      long before = emulator.requests();
      String base = provider.equals("openai") ? emulator.openAiBaseUrl() : emulator.baseUrl();
      ModelCallException e = assertThrows(ModelCallException.class, () -> {
        try (ModelClient c = ModelClients.create(spec(provider, "m", base, "EMU_KEY", null), wrong, fast())) {
          c.complete(new ChatRequest(null, "hi", 5, null, null));
        }
      });
      assertEquals(401, e.status(), provider);
      assertFalse(e.retryable());
      assertEquals(1, emulator.requests() - before, provider + ": a 401 must not be retried");
      assertFalse(e.getMessage().contains("sk-wrong-000"));
    }
  }

  @Test
  void keyOverPlainHttpToNonLoopbackIsRefusedBeforeConnecting() {
    // 0.0.0.0 reaches the local emulator on Linux, so a request, had one been made, would be counted.
    String base = "http://0.0.0.0:" + emulator.port() + "/v1";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelClients.create(spec("openai", "m", base, "EMU_KEY", null), ENV, fast()));
    assertTrue(e.getMessage().contains("plain http"), e.getMessage());
    assertTrue(e.getMessage().contains("EMU_KEY"));
    assertFalse(e.getMessage().contains(KEY));
    assertEquals(0, emulator.requests());
    assertThrows(IllegalArgumentException.class,
        () -> ModelClients.create(spec("anthropic", "m", "http://api.example.com", "EMU_KEY", null), ENV, fast()));
  }

  @Test
  void loopbackDetectionNeedsLiteralAddresses() {
    assertTrue(ModelClients.isLoopback("127.0.0.1"));
    assertTrue(ModelClients.isLoopback("127.3.2.1"));
    assertTrue(ModelClients.isLoopback("[::1]"));
    assertTrue(ModelClients.isLoopback("localhost"));
    assertFalse(ModelClients.isLoopback("localhost.example.com"));
    assertFalse(ModelClients.isLoopback("0.0.0.0"));
    assertFalse(ModelClients.isLoopback("10.0.0.1"));
  }

  @Test
  void unknownProviderNamesItAndTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelClients.create(spec("frobnicate", "m", null, null, null), ENV, fast()));
    assertTrue(e.getMessage().contains("'frobnicate'"), e.getMessage());
    for (String p : List.of("openai", "anthropic", "gemini", "cohere", "huggingface", "ollama")) {
      assertTrue(e.getMessage().contains(p), p);
    }
    assertThrows(IllegalArgumentException.class,
        () -> ModelClients.missingKeys(List.of(spec("frobnicate", "m", null, null, null)), ENV));
  }

  @Test
  void localServerProvidersNeedABaseUrl() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelClients.create(spec("ollama", "llama", null, null, null), ENV, fast()));
    assertTrue(e.getMessage().contains("base_url"));
  }

  @Test
  void unsetKeyIsAnErrorNamingTheVariable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelClients.create(spec("openai", "m", null, "NOT_SET_VAR", null), ENV, fast()));
    assertTrue(e.getMessage().contains("NOT_SET_VAR"));
  }

  @Test
  void missingKeysGroupsModelsByVariable() {
    ModelSpec a = new ModelSpec("a", "openai", "x", "f", null, "HF_TOKEN", null, null, null, null, null, null, null);
    ModelSpec b = new ModelSpec("b", "openai", "y", "f", null, "HF_TOKEN", null, null, null, null, null, null, null);
    ModelSpec c = new ModelSpec("c", "anthropic", "z", "f", null, "EMU_KEY", null, null, null, null, null, null, null);
    ModelSpec d = new ModelSpec("d", "ollama", "z", "f", "http://127.0.0.1:1", null, null, null, null, null, null, null, null);
    Map<String, List<String>> m = ModelClients.missingKeys(List.of(a, b, c, d), ENV);
    assertEquals(Map.of("HF_TOKEN", List.of("a", "b")), m);
  }
}
