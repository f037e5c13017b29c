package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache written before traces were kept apart holds Qwen3-style answers with their trace inline:
 * read by a think-tags model, the entry comes out split; one cut inside its trace is asked again; the
 * trace of a fresh reply is cached beside its answer.
 */
class CachedTracesTest {
  @TempDir Path tmp;

  @Test
  void oldEntriesAreSplitWhenReadAndNewOnesKeepTheirTrace() throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    ModelSpec qwen = new ModelSpec("emu-openai", "vllm", "qwen", "english-first", "http://127.0.0.1:9/v1", null,
        null, 512, null, null, null, null, null);
    def = new PipelineDefinition(def.name(), def.description(), def.languages(), def.families(), List.of(qwen),
        def.conditions(), def.transferMarkers(), def.judge(), def.rubric(), def.statistics(), def.benchmark(),
        def.judges(), def.prompts(), def.limits(), null, null);
    ResponseCache cache = new ResponseCache(tmp.resolve("cache").toString());
    cache.put(ResponseCache.key(qwen, "s", "old"), new ResponseCache.Entry("<think>\nhmm\n</think>\n\nЖауап.", 5, 10, 1));
    cache.put(ResponseCache.key(qwen, "s", "cut"), new ResponseCache.Entry("<think>\nhmm, the", 5, 10, 1));
    List<String> asked = new ArrayList<>();
    ModelCalls calls = new ModelCalls(def, tmp.resolve("cache").toString(), null, spec -> new ModelClient() {
      @Override
      public ChatResponse complete(ChatRequest r) {
        asked.add(r.user());
        return new ChatResponse("Жаңа.", new Usage(5, 8, 0, null, null), "stop", null, false, 1, 1, "fresh trace");
      }

      @Override
      public void close() {}
    });
    try (ModelCalls.Session s = calls.open()) {
      CallOutcome.Reply old = s.call(new Call("answer", "emu-openai", "s", "old")).get().reply();
      assertEquals("Жауап.", old.text());
      assertEquals("hmm", old.reasoning());
      assertTrue(old.cached());
      assertTrue(old.usage().reasoningTokens() > 0 && old.usage().reasoningTokens() < 10, old.usage().toString());
      CallOutcome.Reply cut = s.call(new Call("answer", "emu-openai", "s", "cut")).get().reply();
      assertEquals("Жаңа.", cut.text(), "a cached reply cut inside its trace is asked again");
      assertEquals(List.of("cut"), asked);
    }
    ResponseCache.Entry fresh = cache.get(ResponseCache.key(qwen, "s", "cut")).orElseThrow();
    assertEquals("Жаңа.", fresh.text());
    assertEquals("fresh trace", fresh.reasoning());
  }
}
