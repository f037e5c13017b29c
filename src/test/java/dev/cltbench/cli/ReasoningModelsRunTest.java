package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.study.PipelineDefinition;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Qwen3-style model (vLLM, its trace inline in think tags) and a DeepSeek-style one (the trace in
 * reasoning_content), run twice on the same seed and questions: once with their traces, once with the
 * same answers served without. Only the answers are graded and language-identified, so every table
 * but the costs (the traces are billed) is the same, and the traces are in results/ as steps.
 */
class ReasoningModelsRunTest {
  @TempDir Path tmp;

  static final List<String> MODELS = List.of("qwen3-emu", "deepseek-emu");

  Path pipeline(String name, ModelEmulator e) throws Exception {
    Path q = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q.json"), 3);
    return StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve(name + ".json"), root -> {
      root.remove("emulator");
      root.put("benchmark", q.toAbsolutePath().toString());
      ArrayNode models = root.putArray("models");
      models.addObject().put("name", "qwen3-emu").put("provider", "vllm").put("model_id", "qwen3-x")
          .put("family", "bilingual").put("base_url", e.openAiBaseUrl()).put("max_tokens", 1024);
      models.addObject().put("name", "deepseek-emu").put("provider", "deepseek").put("model_id", "deepseek-x")
          .put("family", "bilingual").put("base_url", e.openAiBaseUrl()).put("max_tokens", 1024)
          .put("input_price_per_million", 0.28).put("output_price_per_million", 0.42);
      for (JsonNode c : root.get("conditions")) {
        if (c.has("translator")) {
          ((ObjectNode) c).put("translator", "qwen3-emu");
        }
      }
      for (JsonNode j : root.get("judges")) {
        ((ObjectNode) j).put("base_url", "openai".equals(j.get("provider").asText()) ? e.openAiBaseUrl() : e.baseUrl());
      }
    });
  }

  Path run(String name, boolean traces) throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    ModelEmulator.Builder b = ModelEmulator.builder().responder(new SyntheticResponder(def));
    if (traces) {
      b.behaviour("qwen3-x", new ModelEmulator.Behaviour(null, false, null, null, 0, null, null, "think-tags", 0));
      b.behaviour("deepseek-x",
          new ModelEmulator.Behaviour(null, false, null, null, 0, null, null, "reasoning_content", 0));
    }
    try (ModelEmulator e = b.start()) {
      Path out = tmp.resolve(name);
      CliRun r = CliRun.of("run", "--pipeline=" + pipeline(name, e), "--output=" + out, "--cache=",
          "--progressSeconds=0");
      assertEquals(0, r.exit(), r::toString);
      assertTrue(r.out().contains("0 failed"), r::toString);
      if (traces) {
        boolean inline = false;
        for (ModelEmulator.RecordedRequest w : e.recorded()) {
          inline |= w.body().contains("qwen3-x");
        }
        assertTrue(inline);
      }
      return out;
    }
  }

  @Test
  void tracesAreStepsAndTheTablesAreThoseOfTheAnswersAlone() throws Exception {
    Path with = run("with-traces", true);
    Path without = run("without-traces", false);

    // Every table but costs (the traces are billed) and times (measured) is the same, byte for byte
    // once the measured mean time is out.
    List<String> tables = new ArrayList<>();
    try (Stream<Path> s = Files.list(without.resolve("tables"))) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted().forEach(tables::add);
    }
    List<String> withTables = new ArrayList<>();
    try (Stream<Path> s = Files.list(with.resolve("tables"))) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted().forEach(withTables::add);
    }
    assertEquals(tables, withTables);
    assertTrue(tables.containsAll(List.of("conditions.csv", "models.csv", "language.csv", "significance.csv")), tables.toString());
    for (String t : tables) {
      if (t.equals("costs.csv") || t.equals("times.csv")) {
        continue;
      }
      String header = Files.readAllLines(without.resolve("tables/" + t)).get(0);
      if (header.contains("mean_time_s")) {
        assertEquals(RunQuickstartTest.withoutColumn(without.resolve("tables/" + t), "mean_time_s"),
            RunQuickstartTest.withoutColumn(with.resolve("tables/" + t), "mean_time_s"), t);
      } else {
        assertEquals(Files.readString(without.resolve("tables/" + t)), Files.readString(with.resolve("tables/" + t)), t);
      }
    }
    assertEquals(StudyFiles.grades(without, "response_time"), StudyFiles.grades(with, "response_time"));

    // The traces are steps of their own; the responses and answer steps hold the answers alone.
    int traced = 0;
    for (String model : MODELS) {
      try (Stream<Path> dirs = Files.list(with.resolve("results"))) {
        for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
          JsonNode a = StudyFiles.JSON.readTree(dir.resolve(model + ".json").toFile());
          JsonNode b = StudyFiles.JSON.readTree(without.resolve("results").resolve(dir.getFileName())
              .resolve(model + ".json").toFile());
          for (int i = 0; i < a.get("responses").size(); i++) {
            JsonNode ra = a.get("responses").get(i);
            JsonNode rb = b.get("responses").get(i);
            assertEquals(rb.get("response").asText(), ra.get("response").asText());
            assertFalse(ra.get("response").asText().contains("Okay, let me think"));
            assertFalse(ra.get("response").asText().contains("<think>"));
            List<String> stagesA = new ArrayList<>();
            List<String> stagesB = new ArrayList<>();
            ra.get("steps").forEach(s -> stagesA.add(s.get("stage").asText()));
            rb.get("steps").forEach(s -> stagesB.add(s.get("stage").asText()));
            for (int k = 0; k < ra.get("steps").size(); k++) {
              JsonNode s = ra.get("steps").get(k);
              String stage = s.get("stage").asText();
              if (stage.endsWith(":reasoning")) {
                traced++;
                assertTrue(s.get("output").asText().startsWith("Okay, let me think"), s.toString());
                assertTrue(s.get("reasoning_tokens").asLong() > 0, s.toString());
                // The next step is its call's, holding the answer alone.
                JsonNode call = ra.get("steps").get(k + 1);
                assertEquals(stage.substring(0, stage.length() - ":reasoning".length()), call.get("stage").asText());
                assertFalse(call.get("output").asText().contains("Okay, let me think"));
              }
            }
            stagesA.removeIf(x -> x.endsWith(":reasoning"));
            assertEquals(stagesB, stagesA, "the same calls, each with its trace before it");
          }
        }
      }
    }
    assertTrue(traced >= 2 * 3 * 7, "a trace for every answer of both models: " + traced);

    // Costs: the traces billed, and counted as reasoning where the server did not say.
    Map<String, Long> reasoningWith = reasoningTokens(with);
    Map<String, Long> reasoningWithout = reasoningTokens(without);
    for (String model : MODELS) {
      assertTrue(reasoningWith.get(model + "|answer") > 0, reasoningWith.toString());
      assertEquals(0L, reasoningWithout.get(model + "|answer"), reasoningWithout.toString());
    }
  }

  /**
   * Through the pipeline file's emulator section: a Qwen3-style model cut inside its trace (an opening
   * tag, never closed) gives no answer: every tuple fails as truncated with the trace kept, asked once;
   * a DeepSeek-style model beside it is graded, its answers free of the trace.
   */
  @Test
  void anAnswerCutInsideItsTraceIsATruncatedFailure() throws Exception {
    Path q = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q1.json"), 1);
    Path p = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("cut.json"), root -> {
      root.put("benchmark", q.toAbsolutePath().toString());
      ArrayNode models = root.putArray("models");
      models.addObject().put("name", "qwen3-cut").put("provider", "vllm").put("model_id", "qwen3-cut")
          .put("family", "bilingual").put("base_url", "emulator").put("max_tokens", 1024);
      models.addObject().put("name", "deepseek-emu").put("provider", "deepseek").put("model_id", "deepseek-x")
          .put("family", "bilingual").put("base_url", "emulator").put("max_tokens", 1024);
      ArrayNode conditions = root.putArray("conditions");
      conditions.addObject().put("id", "C2").put("label", "Kazakh direct").put("directory", "c2")
          .put("description", "Kazakh, answered directly").put("language", "kazakh").put("type", "direct");
      ObjectNode emu = (ObjectNode) root.get("emulator");
      ObjectNode m = emu.putObject("models");
      m.putObject("qwen3-cut").put("reasoning", "think-tags").put("truncate", "with_text");
      m.putObject("deepseek-emu").put("reasoning", "reasoning_content");
    });
    Path out = tmp.resolve("cut");
    CliRun r = CliRun.of("run", "--pipeline=" + p, "--output=" + out, "--cache=" + tmp.resolve("cache"),
        "--progressSeconds=0");
    assertTrue(r.out().contains("1 in = 1 graded + 0 failed") || r.out().contains("2 in = 1 graded + 1 failed"),
        r::toString);
    List<String> lines = Files.readAllLines(out.resolve("failures.jsonl"), StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), lines.toString());
    JsonNode f = StudyFiles.JSON.readTree(lines.get(0));
    assertEquals("qwen3-cut", f.get("model").asText());
    assertEquals("truncated", f.get("kind").asText());
    assertEquals("length", f.get("finish_reason").asText());
    assertEquals(1, f.get("attempts").asInt(), "asked once");
    assertTrue(f.get("cut_reasoning").asText().startsWith("Okay, let me think"), f.toString());
    assertFalse(f.has("cut_text"), "no answer text at all: " + f);
    assertTrue(f.get("reasoning_tokens").asLong() > 0, f.toString());
    JsonNode graded = StudyFiles.JSON.readTree(out.resolve("results/c2/deepseek-emu.json").toFile());
    JsonNode resp = graded.get("responses").get(0);
    assertFalse(resp.get("response").asText().contains("Okay, let me think"));
    assertEquals("answer:reasoning", resp.get("steps").get(0).get("stage").asText());
    // The cut model's cell is written with no response (as for any cell whose tuples all failed).
    JsonNode cut = StudyFiles.JSON.readTree(out.resolve("results/c2/qwen3-cut.json").toFile());
    assertEquals(0, cut.get("responses").size(), cut.toString());
  }

  static Map<String, Long> reasoningTokens(Path out) throws Exception {
    Map<String, Long> m = new TreeMap<>();
    try (Reader in = Files.newBufferedReader(out.resolve("tables/costs.csv"), StandardCharsets.UTF_8)) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        m.merge(r.get("model") + "|" + r.get("stage"), Long.parseLong(r.get("reasoning_tokens")), Long::sum);
      }
    }
    return m;
  }
}
