package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.study.PipelineDefinition;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The providers' truncation and no-text replies, end to end through {@code run} on the emulator over
 * loopback: each of the four protocols cut with text, cut with no text (a reasoning model that spent
 * max_tokens thinking) and finished with no text. Nothing is graded, every tuple lands in
 * failures.jsonl with the tokens its reply reported, a second run on the same cache asks again, and
 * costs.csv equals the emulator's configured usage times the pipeline file's prices, computed here.
 */
class ProviderHardCasesRunTest {
  /** Per model: input, visible output, reasoning tokens, and Cohere's billed input/output units. */
  record Usage(long input, long output, long reasoning, Long billedInput, Long billedOutput) {}

  static final Map<String, Usage> USAGE = Map.of(
      "emu-openai", new Usage(100, 40, 30, null, null),
      "emu-anthropic", new Usage(90, 50, 25, null, null),
      "emu-gemini", new Usage(80, 60, 500, null, null),
      // Cohere's own example: 71 tokens seen, 5 billed.
      "emu-cohere", new Usage(71, 40, 0, 5L, 30L));
  static final int QUESTIONS = 2;

  @TempDir Path tmp;
  Path questions;

  @BeforeEach
  void smallBenchmark() throws Exception {
    questions = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q.json"), QUESTIONS);
  }

  /** Quickstart with every model answering in {@code hardCase} ("with_text", "no_text" or "final_no_text"). */
  Path pipeline(String hardCase) throws Exception {
    return StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve(hardCase + ".json"), root -> {
      ObjectNode emulator = (ObjectNode) root.get("emulator");
      emulator.put("latency_ms", 1);
      ObjectNode models = emulator.putObject("models");
      USAGE.forEach((name, u) -> {
        ObjectNode m = models.putObject(name);
        if (hardCase.equals("final_no_text")) {
          m.put("no_text", true);
        } else {
          m.put("truncate", hardCase);
        }
        m.put("input_tokens", u.input()).put("output_tokens", u.output()).put("reasoning_tokens", u.reasoning());
        if (u.billedInput() != null) {
          m.put("billed_input_tokens", u.billedInput()).put("billed_output_tokens", u.billedOutput());
        }
      });
    });
  }

  CliRun run(Path pipeline, String output, Path cache) {
    return CliRun.of("run", "--pipeline=" + pipeline, "--benchmark=" + questions, "--conditions=C1",
        "--output=" + tmp.resolve(output), "--cache=" + cache, "--progressSeconds=0", "--maxFailureRate=1");
  }

  /** What the reply of {@code model} reported as output: the visible text's tokens (none without text) and reasoning. */
  static long outputTokens(String model, boolean hasText) {
    Usage u = USAGE.get(model);
    return (hasText ? u.output() : 0) + u.reasoning();
  }

  /** The reasoning share a provider reports on its own: OpenAI and Gemini do; Anthropic and Cohere give no split. */
  static long reportedReasoning(String model) {
    return model.equals("emu-openai") || model.equals("emu-gemini") ? USAGE.get(model).reasoning() : 0;
  }

  @ParameterizedTest
  @ValueSource(strings = {"with_text", "no_text", "final_no_text"})
  void nothingIsGradedOrCachedAndEveryBilledTokenIsCounted(String hardCase) throws Exception {
    Path pipeline = pipeline(hardCase);
    PipelineDefinition def = PipelineDefinition.read(pipeline);
    boolean hasText = hardCase.equals("with_text");
    String kind = hardCase.equals("final_no_text") ? "no_text" : "truncated";
    int tuples = USAGE.size() * QUESTIONS;
    Path cache = tmp.resolve("cache-" + hardCase);
    for (String output : List.of(hardCase + "-1", hardCase + "-2")) {
      CliRun r = run(pipeline, output, cache);
      Path out = tmp.resolve(output);
      // Every tuple failed: everything is written, the exit status says so.
      assertEquals(Main.TOO_MANY_FAILURES, r.exit(), r::toString);
      assertTrue(r.out().contains("tuples: " + tuples + " in = 0 graded + " + tuples + " failed"), r::toString);
      assertTrue(r.out().contains("failed tuples by kind: " + tuples + " " + kind), r::toString);
      // Each call was made (the second run asks again: nothing was cached) and billed once.
      assertTrue(r.out().contains("model calls: " + tuples + " made, 0 from cache"), r::toString);
      List<String> lines = Files.readAllLines(out.resolve("failures.jsonl"));
      assertEquals(tuples, lines.size());
      for (String line : lines) {
        JsonNode f = StudyFiles.JSON.readTree(line);
        String model = f.get("model").asText();
        assertEquals(kind, f.get("kind").asText(), line);
        assertEquals("answer", f.get("stage").asText(), line);
        // A cut or empty reply is final: asked once, never retried.
        assertEquals(1, f.get("attempts").asInt(), line);
        assertEquals(USAGE.get(model).input(), f.get("input_tokens").asLong(), line);
        assertEquals(outputTokens(model, hasText), f.get("output_tokens").asLong(), line);
        assertEquals(reportedReasoning(model), f.get("reasoning_tokens").asLong(), line);
        assertTrue(f.hasNonNull("finish_reason"), line);
        if (model.equals("emu-cohere")) {
          assertEquals(5, f.get("billed_input_tokens").asLong(), line);
          assertEquals(30, f.get("billed_output_tokens").asLong(), line);
        }
        assertEquals(hasText, f.hasNonNull("cut_text") && !f.get("cut_text").asText().isEmpty(), line);
      }
      // No grades: no judge was asked about a cut or missing answer.
      assertEquals(Map.of(), StudyFiles.grades(out));
      // The page's failures table counts them by kind: every row is this kind, and they sum to the file.
      List<String> table = Files.readAllLines(out.resolve("tables/failures.csv"));
      long counted = 0;
      for (String row : table.subList(1, table.size())) {
        String[] c = row.split(",");
        assertEquals(kind, c[4], row);
        counted += Long.parseLong(c[6]);
      }
      assertEquals(tuples, counted, "failures.csv counts every line of failures.jsonl");

      Map<String, CSVRecord> costs = costRows(out);
      long totalMicros = 0;
      for (String model : USAGE.keySet()) {
        CSVRecord row = costs.get(model + ",answer");
        Usage u = USAGE.get(model);
        PipelineDefinition.ModelSpec spec = def.model(model).orElseThrow();
        long billedIn = u.billedInput() != null ? u.billedInput() : u.input();
        long billedOut = u.billedOutput() != null ? u.billedOutput() : outputTokens(model, hasText);
        long micros = QUESTIONS * Math.round(billedIn * spec.inputPricePerMillion()
            + billedOut * spec.outputPricePerMillion());
        totalMicros += micros;
        assertEquals(String.valueOf(QUESTIONS), row.get("calls"), model);
        assertEquals("0", row.get("cached_calls"), model);
        assertEquals(String.valueOf(QUESTIONS), row.get("failed_calls"), model);
        assertEquals(String.valueOf(QUESTIONS), row.get("attempts"), model);
        assertEquals(String.valueOf(QUESTIONS * u.input()), row.get("input_tokens"), model);
        assertEquals(String.valueOf(QUESTIONS * outputTokens(model, hasText)), row.get("output_tokens"), model);
        assertEquals(String.valueOf(QUESTIONS * reportedReasoning(model)), row.get("reasoning_tokens"), model);
        assertEquals(String.valueOf(QUESTIONS * billedIn), row.get("billed_input_tokens"), model);
        assertEquals(String.valueOf(QUESTIONS * billedOut), row.get("billed_output_tokens"), model);
        assertEquals(BigDecimal.valueOf(micros, 6), new BigDecimal(row.get("cost_usd")), model);
        assertEquals(BigDecimal.valueOf(micros, 6), new BigDecimal(row.get("failed_calls_cost_usd")), model);
      }
      assertEquals(USAGE.size(), costs.size(), "only the answers were asked: " + costs.keySet());
      // The run's spending line (the budget's ledger) is the same sum.
      assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "spent %.4f USD", totalMicros / 1e6)),
          r::toString);
    }
    // Nothing was written to the cache: a failed answer is never kept as one.
    assertFalse(Files.exists(cache) && Files.walk(cache).anyMatch(p -> p.toString().endsWith(".json")),
        "the cache holds no entry");
  }

  @Test
  void geminiThinkingThatSpendsTheBudgetIsAskedOnceAndBilled() throws Exception {
    // An emulator the test runs itself, so the requests are counted on the server's side.
    try (ModelEmulator e = ModelEmulator.builder()
        .behaviour("emu-gemini-v1", new ModelEmulator.Behaviour("no_text", false, 80L, 0L, 1024, null, null))
        .start()) {
      Path pipeline = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("g.json"), root -> {
        var models = root.withArray("models");
        for (int i = models.size() - 1; i >= 0; i--) {
          if (!models.get(i).get("name").asText().equals("emu-gemini")) {
            models.remove(i);
          } else {
            ((ObjectNode) models.get(i)).put("base_url", e.baseUrl()).put("max_tokens", 1024);
          }
        }
        var conditions = root.withArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
          if (!conditions.get(i).get("type").asText().equals("direct")) {
            conditions.remove(i);
          }
        }
      });
      CliRun r = CliRun.of("run", "--pipeline=" + pipeline, "--benchmark=" + questions, "--conditions=C1",
          "--output=" + tmp.resolve("g"), "--cache=", "--progressSeconds=0", "--maxFailureRate=1");
      assertEquals(Main.TOO_MANY_FAILURES, r.exit(), r::toString);
      assertEquals(Map.of("emu-gemini-v1", (long) QUESTIONS), e.callsByModel(), "one request per tuple");
      PipelineDefinition.ModelSpec gemini = PipelineDefinition.read(pipeline).model("emu-gemini").orElseThrow();
      long micros = QUESTIONS * Math.round(80 * gemini.inputPricePerMillion() + 1024 * gemini.outputPricePerMillion());
      CSVRecord row = costRows(tmp.resolve("g")).get("emu-gemini,answer");
      assertEquals(BigDecimal.valueOf(micros, 6), new BigDecimal(row.get("cost_usd")));
      assertEquals(String.valueOf(QUESTIONS * 1024), row.get("reasoning_tokens"));
      assertTrue(r.out().contains("model calls: " + QUESTIONS + " made"), r::toString);
      for (String line : Files.readAllLines(tmp.resolve("g/failures.jsonl"))) {
        JsonNode f = StudyFiles.JSON.readTree(line);
        assertEquals("truncated", f.get("kind").asText(), line);
        assertEquals("MAX_TOKENS", f.get("finish_reason").asText(), line);
        assertEquals("emu-gemini-v1", f.get("model_version").asText(), line);
        assertNull(f.get("cut_text"), line);
      }
    }
  }

  @Test
  void onTruncationGradeGradesCutAnswersAndRecordsIt() throws Exception {
    Path pipeline = StudyFiles.editedPipeline(pipeline("with_text"), tmp.resolve("grade.json"), root -> {
      for (JsonNode m : root.withArray("models")) {
        ((ObjectNode) m).put("on_truncation", "grade");
      }
    });
    Path cache = tmp.resolve("cache-grade");
    CliRun first = run(pipeline, "graded-1", cache);
    int tuples = USAGE.size() * QUESTIONS;
    assertEquals(0, first.exit(), first::toString);
    assertTrue(first.out().contains("tuples: " + tuples + " in = " + tuples + " graded + 0 failed"), first::toString);
    JsonNode results = StudyFiles.JSON.readTree(tmp.resolve("graded-1/results/C1_english/emu-openai.json").toFile());
    assertEquals("grade", results.get("on_truncation").asText());
    for (JsonNode resp : results.get("responses")) {
      assertEquals("length", resp.get("finish_reason").asText());
      assertTrue(resp.get("truncated").asBoolean());
      assertEquals("emu-openai-v1", resp.get("model_version").asText());
    }
    // responses.jsonl carries them too.
    int seen = 0;
    for (String line : Files.readAllLines(tmp.resolve("graded-1/responses.jsonl"))) {
      JsonNode j = StudyFiles.JSON.readTree(line);
      if (j.get("model").asText().equals("emu-gemini")) {
        assertEquals("MAX_TOKENS", j.get("finish_reason").asText(), line);
        assertEquals("emu-gemini-v1", j.get("model_version").asText(), line);
        seen++;
      }
    }
    assertEquals(QUESTIONS, seen);
    // Graded cut answers are cached with their finish reason: a second run asks nothing again.
    CliRun second = run(pipeline, "graded-2", cache);
    assertEquals(0, second.exit(), second::toString);
    assertTrue(second.out().contains("model calls: 0 made"), second::toString);
    // A model that fails cut answers never takes the cached cut answer as one.
    CliRun failing = run(pipeline("with_text"), "failing", cache);
    assertTrue(failing.out().contains("model calls: " + tuples + " made"), failing::toString);
    assertTrue(failing.out().contains("0 graded + " + tuples + " failed"), failing::toString);
  }

  static Map<String, CSVRecord> costRows(Path out) throws Exception {
    Map<String, CSVRecord> rows = new HashMap<>();
    try (Reader in = Files.newBufferedReader(out.resolve("tables/costs.csv"))) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        rows.put(r.get("model") + "," + r.get("stage"), r);
      }
    }
    return rows;
  }
}
