package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.emulator.FaultPlan;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the clients read from each provider's replies: finish reasons, versions, every billed token. */
class ProviderRepliesTest {
  static ModelSpec spec(String provider, String base, String keyEnv) {
    return new ModelSpec("m", provider, "model-x", "f", base, keyEnv, null, 512, null, null, null, 2.0, 10.0);
  }

  static String base(ModelEmulator e, String provider) {
    return provider.equals("openai") ? e.openAiBaseUrl() : e.baseUrl();
  }

  static RetryPolicy fast(int attempts) {
    return RetryPolicy.defaults().withMaxAttempts(attempts).withBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  /** Records every attempt the client reports. */
  static final class Recorder implements Attempts {
    int before;
    final List<Usage> after = new ArrayList<>();

    @Override
    public void before() {
      before++;
    }

    @Override
    public void after(Usage billed) {
      after.add(billed);
    }
  }

  @Test
  void finishReasonModelVersionAndReasoningAreRead() throws Exception {
    for (String p : List.of("openai", "anthropic", "gemini", "cohere")) {
      try (ModelEmulator e = ModelEmulator.builder()
          .behaviour("model-x", new ModelEmulator.Behaviour(null, false, 100L, 40L, 30, null, null)).start();
          ModelClient c = ModelClients.create(spec(p, base(e, p), null), n -> null, fast(1))) {
        ChatResponse r = c.complete(new ChatRequest(null, "hi", 512, null, null));
        assertFalse(r.truncated(), p);
        assertEquals(100, r.usage().inputTokens(), p);
        assertEquals(70, r.usage().outputTokens(), p + ": output counts reasoning");
        assertEquals(p.equals("openai") || p.equals("gemini") ? 30 : 0, r.usage().reasoningTokens(), p);
        assertEquals(switch (p) {
          case "openai" -> "stop";
          case "anthropic" -> "end_turn";
          case "gemini" -> "STOP";
          default -> "COMPLETE";
        }, r.finishReason(), p);
        // Cohere's v2 reply names no model.
        assertEquals(p.equals("cohere") ? null : "model-x", r.modelVersion(), p);
      }
    }
  }

  @Test
  void cohereIsBilledOnBilledUnits() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder()
        .behaviour("model-x", new ModelEmulator.Behaviour(null, false, 71L, 40L, 0, 5L, 30L)).start();
        ModelClient c = ModelClients.create(spec("cohere", e.baseUrl(), null), n -> null, fast(1))) {
      ChatResponse r = c.complete(new ChatRequest(null, "hi", 512, null, null));
      assertEquals(71, r.usage().inputTokens());
      assertEquals(5, r.usage().billedInput());
      assertEquals(30, r.usage().billedOutput());
      assertEquals(Math.round(5 * 2.0 + 30 * 10.0), r.usage().costMicros(spec("cohere", e.baseUrl(), null)));
    }
  }

  @Test
  void aCutAnswerSaysSoAndANoTextReplyIsPermanent() throws Exception {
    for (String p : List.of("openai", "anthropic", "gemini", "cohere")) {
      try (ModelEmulator e = ModelEmulator.builder()
          .behaviour("model-x", new ModelEmulator.Behaviour("with_text", false, 10L, 20L, 0, null, null)).start();
          ModelClient c = ModelClients.create(spec(p, base(e, p), null), n -> null, fast(3))) {
        ChatResponse r = c.complete(new ChatRequest(null, "hi", 512, null, null));
        assertTrue(r.truncated(), p);
        assertFalse(r.text().isEmpty(), p);
      }
      try (ModelEmulator e = ModelEmulator.builder()
          .behaviour("model-x", new ModelEmulator.Behaviour(null, true, 10L, 20L, 7, null, null)).start();
          ModelClient c = ModelClients.create(spec(p, base(e, p), null), n -> null, fast(3))) {
        Recorder attempts = new Recorder();
        ModelCallException x = assertThrows(ModelCallException.class,
            () -> c.complete(new ChatRequest(null, "hi", 512, null, null), attempts));
        assertEquals(ModelCallException.NO_TEXT, x.kind(), p);
        assertFalse(x.retryable(), p);
        assertEquals(1, e.requests(), p + ": asked once");
        assertEquals(1, attempts.before, p);
        assertEquals(7, x.usage().outputTokens(), p + ": the reasoning it billed");
        assertEquals(List.of(x.usage()), attempts.after, p);
      }
    }
  }

  @Test
  void refusalsCarryTheirUsage() throws Exception {
    for (String p : List.of("openai", "anthropic", "gemini")) {
      try (ModelEmulator e = ModelEmulator.builder()
          .behaviour("model-x", new ModelEmulator.Behaviour(null, false, 42L, 1L, 0, null, null))
          .permanentFault(r -> true, FaultPlan.Fault.REFUSAL).start();
          ModelClient c = ModelClients.create(spec(p, base(e, p), null), n -> null, fast(3))) {
        ModelCallException x = assertThrows(ModelCallException.class,
            () -> c.complete(new ChatRequest(null, "hi", 512, null, null)));
        assertEquals(ModelCallException.REFUSED, x.kind(), p);
        assertEquals(42, x.usage().inputTokens(), p + ": a refusal bills its prompt");
        assertEquals(1, e.requests(), p);
      }
    }
  }

  @Test
  void everyAttemptIsReportedWithItsUsage() throws Exception {
    // Two server errors then an answer: three attempts, each reserved and settled.
    try (ModelEmulator e = ModelEmulator.builder()
        .behaviour("model-x", new ModelEmulator.Behaviour(null, false, 10L, 20L, 0, null, null))
        .faults(FaultPlan.uniform(1.0, 0).withKinds(List.of(FaultPlan.Fault.SERVER_ERROR_500,
            FaultPlan.Fault.UNAVAILABLE_503)).withMaxFaultyAttempts(2)).start();
        ModelClient c = ModelClients.create(spec("openai", e.openAiBaseUrl(), null), n -> null, fast(6))) {
      Recorder attempts = new Recorder();
      ChatResponse r = c.complete(new ChatRequest(null, "hi", 512, null, null), attempts);
      assertEquals(3, r.attempts());
      assertEquals(3, attempts.before);
      assertEquals(List.of(Usage.NONE, Usage.NONE, r.usage()), attempts.after);
      assertEquals(3, e.requests());
    }
  }

  @Test
  void theBudgetIsReservedPerAttemptAndSettledAtWhatWasBilled() {
    RunLedger ledger = RunLedger.detached();
    ModelSpec s = spec("openai", "http://127.0.0.1:1/v1", null);
    long worst = RunLedger.worstCaseMicros(s, new Call("answer", s.name(), null, "hi"));
    // A cap of two worst cases: the third reservation is refused while two are outstanding.
    double cap = 2 * worst / 1e6;
    assertTrue(ledger.reserve(cap, worst).isPresent());
    assertTrue(ledger.reserve(cap, worst).isPresent());
    assertTrue(ledger.reserve(cap, worst).isEmpty());
    Usage billed = new Usage(10, 0, 0, null, null);
    ledger.settle(worst, billed.costMicros(s));
    ledger.settle(worst, 0);
    assertEquals(billed.costMicros(s) / 1e6, ledger.spentUsd(), 1e-12);
    assertTrue(ledger.reserve(cap, worst).isPresent(), "settled attempts free their reservation");
  }

  @Test
  void anthropicEndpointTakesTheBearerHeaderOfTheCurrentSdk() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().requireKey("sk-ant-emu").start()) {
      var http = java.net.http.HttpClient.newHttpClient();
      String body = "{\"model\":\"m\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(e.baseUrl() + "/v1/messages"))
          .header("anthropic-version", "2023-06-01").header("Authorization", "Bearer sk-ant-emu")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
      assertEquals(200, http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
      var wrong = java.net.http.HttpRequest.newBuilder(java.net.URI.create(e.baseUrl() + "/v1/messages"))
          .header("anthropic-version", "2023-06-01").header("Authorization", "Bearer nope")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
      assertEquals(401, http.send(wrong, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void theDefinitionKnowsEveryProviderByItsProtocol() {
    for (String p : ModelClients.knownProviders()) {
      String protocol = dev.cltbench.study.PipelineDefinition.protocolOf(p);
      assertEquals(WireProtocol.of(spec(p, "http://127.0.0.1:1", null)).name(),
          protocol.equals("openai") ? "openai-compatible" : protocol, p);
    }
    assertNull(dev.cltbench.study.PipelineDefinition.protocolOf("anthropik"));
  }

  @Test
  void openAiProviderDefaultsToMaxCompletionTokensOthersToMaxTokens() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().start()) {
      for (String p : List.of("openai", "xai", "vllm")) {
        ModelSpec s = new ModelSpec("m", p, "model-x", "f", e.openAiBaseUrl(), null, null, 64, 0.5, null, null,
            null, null, null, p.equals("openai") ? "low" : null, null, p.equals("openai") ? Boolean.FALSE : null,
            null, null);
        try (ModelClient c = ModelClients.create(s, n -> null, fast(1))) {
          c.complete(new ChatRequest(null, "hi", 64, s.temperatureSent(), null));
        }
        var body = WireProtocol.MAPPER.readTree(e.recorded().get(e.recorded().size() - 1).body());
        assertEquals(p.equals("openai"), body.has("max_completion_tokens"), p);
        assertEquals(!p.equals("openai"), body.has("max_tokens"), p);
        assertEquals(p.equals("openai"), body.has("reasoning_effort"), p);
        assertEquals(!p.equals("openai"), body.has("temperature"), p + ": send_temperature false sends none");
      }
    }
    assertNull(spec("openai", "x", null).reasoningEffort());
  }
}
