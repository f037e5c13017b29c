package dev.cltbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.clients.ChatRequest;
import dev.cltbench.clients.ModelCalls;
import dev.cltbench.clients.ModelClient;
import dev.cltbench.clients.ModelClients;
import dev.cltbench.clients.Preflight;
import dev.cltbench.study.PipelineDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorForPipelineTest {
  @Test
  void missingKeysNameTheVariableAndItsModels() {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/left-behind.json"));
    List<String> missing = Preflight.missingKeys(def, Map.of("OPENAI_API_KEY", "x")::get);
    assertEquals(List.of("ANTHROPIC_API_KEY (models claude_opus_4.5, claude_sonnet_4.5)",
        "GEMINI_API_KEY (models gemini_3_pro)",
        "HF_TOKEN (models llama_4_maverick, qwen3, deepseek_v3.2, aya_expanse)",
        "XAI_API_KEY (models grok_4.1)"), missing);
  }

  @Test
  void noEmulatorWithoutEmulatorForPipeline() throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/left-behind.json"));
    try (EmulatorForPipeline m = EmulatorForPipeline.startIfNeeded(def)) {
      assertFalse(m.active());
      assertNull(m.url());
    }
  }

  @Test
  void quickstartModelsAnswerThroughTheFactory() throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    try (EmulatorForPipeline m = EmulatorForPipeline.startIfNeeded(def)) {
      assertTrue(m.active());
      assertTrue(m.url().startsWith("http://127.0.0.1:"));
      ModelCalls calls = new ModelCalls(def, null, m.url(), ModelClients.factory(def));
      for (PipelineDefinition.ModelSpec spec : def.models()) {
        try (ModelClient c = ModelClients.factory(def).create(calls.resolve(spec))) {
          String text = c.complete(new ChatRequest(null, "Абай кім болған?", PipelineDefinition.DEFAULT_MAX_TOKENS,
              spec.temperatureSent(), spec.seed())).text();
          assertTrue(text.matches("(?s).*[әғқңұһі].*"), spec.name() + ": " + text);
        }
      }
      assertEquals(4, m.emulator().callsByModel().size());
    }
  }
}
