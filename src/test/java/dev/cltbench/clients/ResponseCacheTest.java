package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseCacheTest {
  @TempDir Path tmp;

  static ModelSpec spec(String keyEnv, Double temperature) {
    return new ModelSpec("m", "openai", "gpt-x", "english-first", "https://api.example/v1", keyEnv,
        null, 100, temperature, null, null, null, null);
  }

  @Test
  void keyDependsOnWhatShapesTheAnswerButNotOnTheKeyVariable() {
    String k = ResponseCache.key(spec("OPENAI_API_KEY", null), "sys", "q");
    assertEquals(k, ResponseCache.key(spec("OTHER_KEY_VAR", null), "sys", "q"));
    assertNotEquals(k, ResponseCache.key(spec("OPENAI_API_KEY", 0.5), "sys", "q"));
    assertNotEquals(k, ResponseCache.key(spec("OPENAI_API_KEY", null), "sys", "q2"));
    assertNotEquals(k, ResponseCache.key(spec("OPENAI_API_KEY", null), null, "q"));
    assertEquals(64, k.length());
  }

  @Test
  void storesAndFindsEntriesLeavingNoTemporaryFiles() throws Exception {
    ResponseCache cache = new ResponseCache(tmp.toString());
    String k = ResponseCache.key(spec(null, null), "s", "Қазақша сұрақ?");
    assertFalse(cache.get(k).isPresent());
    cache.put(k, new ResponseCache.Entry("Жауап", 10, 20, 1234));
    ResponseCache.Entry e = cache.get(k).orElseThrow();
    assertEquals(new ResponseCache.Entry("Жауап", 10, 20, 1234), e);
    try (var walk = Files.walk(tmp)) {
      assertTrue(walk.filter(Files::isRegularFile).allMatch(p -> p.toString().endsWith(k + ".json")));
    }
  }

  @Test
  void keepsWhatTheProviderSaid() throws Exception {
    ResponseCache cache = new ResponseCache(tmp.toString());
    String k = ResponseCache.key(spec(null, null), "s", "q");
    ResponseCache.Entry full = new ResponseCache.Entry("cut", 71, 40, 9, 12, 5L, 30L, "MAX_TOKENS", "model-v2", true);
    cache.put(k, full);
    assertEquals(full, cache.get(k).orElseThrow());
  }

  @Test
  void reasoningSettingsShapeTheKeyOnlyWhenSet() {
    var plain = spec(null, null);
    String k = ResponseCache.key(plain, "s", "q");
    var effort = new dev.cltbench.study.PipelineDefinition.ModelSpec(plain.name(), plain.provider(),
        plain.modelId(), plain.family(), plain.baseUrl(), plain.apiKeyEnv(), plain.route(), plain.maxTokens(),
        plain.temperature(), plain.seed(), plain.limitGroup(), plain.inputPricePerMillion(),
        plain.outputPricePerMillion(), "max_completion_tokens", "low", null, null, null, "grade");
    assertNotEquals(k, ResponseCache.key(effort, "s", "q"), "reasoning_effort changes the answer");
    var fieldOnly = new dev.cltbench.study.PipelineDefinition.ModelSpec(plain.name(), plain.provider(),
        plain.modelId(), plain.family(), plain.baseUrl(), plain.apiKeyEnv(), plain.route(), plain.maxTokens(),
        plain.temperature(), plain.seed(), plain.limitGroup(), plain.inputPricePerMillion(),
        plain.outputPricePerMillion(), "max_completion_tokens", null, null, null, null, "grade");
    assertEquals(k, ResponseCache.key(fieldOnly, "s", "q"), "the field's name and on_truncation do not");
  }
}
