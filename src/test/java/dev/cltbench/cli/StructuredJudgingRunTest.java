package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.clients.ProviderSpecs;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.study.PipelineDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A panel of four judges, one per wire protocol, each answering in prose a fifth of the time unless its
 * request carries a schema: free-text judging loses about a fifth of the verdicts, structured judging
 * none, and every structured judge request validates against its provider's official schema. Prints
 * the counts ({@code -Dcltbench.proseQuestions=N} for more questions; docs/benchmarks.md has a run).
 */
class StructuredJudgingRunTest {
  @TempDir Path tmp;

  static final Map<String, String> JUDGES = Map.of("emu-judge-a", "anthropic", "emu-judge-b", "openai",
      "emu-judge-c", "gemini", "emu-judge-d", "cohere");

  record Outcome(int judgments, int parseFailures, Map<String, Integer> perJudge, int judgeRequests,
      List<String> invalid, Map<String, Integer> mechanisms) {}

  Outcome run(String name, boolean structured, int questions) throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    ModelEmulator.Builder b = ModelEmulator.builder().responder(new SyntheticResponder(def));
    for (String judge : JUDGES.keySet()) {
      b.behaviour(judge, new ModelEmulator.Behaviour(null, false, null, null, 0, null, null, null, 0.2));
    }
    try (ModelEmulator e = b.start()) {
      Path q = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q.json"), questions);
      Path pipeline = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve(name + ".json"), root -> {
        root.remove("emulator");
        root.put("benchmark", q.toAbsolutePath().toString());
        for (JsonNode m : root.get("models")) {
          ((ObjectNode) m).put("base_url", "openai".equals(m.get("provider").asText()) ? e.openAiBaseUrl() : e.baseUrl());
        }
        ArrayNode judges = root.putArray("judges");
        new TreeMap<>(JUDGES).forEach((judge, provider) -> {
          ObjectNode j = judges.addObject().put("name", judge).put("provider", provider).put("model_id", judge)
              .put("base_url", provider.equals("openai") ? e.openAiBaseUrl() : e.baseUrl()).put("max_tokens", 512);
          j.put("structured", structured);
        });
      });
      Path out = tmp.resolve(name);
      CliRun r = CliRun.of("run", "--pipeline=" + pipeline, "--output=" + out, "--cache=", "--progressSeconds=0",
          "--languageId=false");
      assertEquals(0, r.exit(), r::toString);
      int failures = 0;
      Map<String, Integer> perJudge = new TreeMap<>();
      for (String line : Files.readAllLines(out.resolve("failures.jsonl"), StandardCharsets.UTF_8)) {
        JsonNode f = StudyFiles.JSON.readTree(line);
        if (f.path("stage").asText().startsWith("judge:") && f.path("reason").asText().contains("JSON")) {
          failures++;
          perJudge.merge(f.path("stage").asText(), 1, Integer::sum);
        }
      }
      int judgeRequests = 0;
      List<String> invalid = new java.util.ArrayList<>();
      for (ModelEmulator.RecordedRequest w : e.recorded()) {
        JsonNode body = StudyFiles.JSON.readTree(w.body());
        String judge = body.has("model") ? body.get("model").asText()
            : w.path().replaceFirst(".*/models/([^:]+):.*", "$1");
        if (!JUDGES.containsKey(judge)) {
          continue;
        }
        judgeRequests++;
        String protocol = JUDGES.get(judge);
        boolean constrained = body.has("response_format") || body.has("tool_choice")
            || body.path("generationConfig").has("responseSchema");
        if (constrained != structured) {
          invalid.add(judge + ": constrained " + constrained);
        }
        ProviderSpecs.requestProblems(protocol, body).forEach(p -> invalid.add(judge + ": " + p));
      }
      assertTrue(e.recorded().size() < 1000, "every request was kept");
      Map<String, Integer> mechanisms = new TreeMap<>();
      JsonNode manifest = StudyFiles.JSON.readTree(out.resolve("manifest.json").toFile());
      for (JsonNode m : manifest.get("models")) {
        if ("judge".equals(m.path("role").asText())) {
          mechanisms.merge(m.get("name").asText() + ": " + m.get("structured_output").asText(), 1, Integer::sum);
        }
      }
      int tuples = 4 * 7 * questions;
      return new Outcome(tuples * JUDGES.size(), failures, perJudge, judgeRequests, invalid, mechanisms);
    }
  }

  @Test
  void structuredJudgingLosesNoVerdictAndEveryRequestConforms() throws Exception {
    int questions = Integer.getInteger("cltbench.proseQuestions", 2);
    Outcome free = run("free-text", false, questions);
    Outcome structured = run("structured", true, questions);
    for (Outcome o : List.of(free, structured)) {
      System.out.printf(Locale.ROOT, "%s judging: %d judgments, %d parse failures (%.1f%%) %s; %d judge requests, "
          + "%d not conforming; %s%n", o == free ? "free-text" : "structured", o.judgments(), o.parseFailures(),
          100.0 * o.parseFailures() / o.judgments(), o.perJudge(), o.judgeRequests(), o.invalid().size(),
          o.mechanisms().keySet());
    }
    assertEquals(List.of(), structured.invalid());
    assertEquals(List.of(), free.invalid());
    assertEquals(0, structured.parseFailures());
    assertEquals(structured.judgments(), structured.judgeRequests(), "one request per grade");
    // 20% of the verdicts as prose: well above 0 for any seed, and within 4 binomial standard deviations.
    double expected = 0.2 * free.judgments();
    double sd = Math.sqrt(free.judgments() * 0.2 * 0.8);
    assertTrue(free.parseFailures() > 0 && Math.abs(free.parseFailures() - expected) < 4 * sd + 1,
        "free-text failures " + free.parseFailures() + " of " + free.judgments());
    assertEquals(4, free.perJudge().size(), "every protocol's judge answered in prose: " + free.perJudge());
    assertTrue(structured.mechanisms().keySet().stream().noneMatch(k -> k.contains("none")), structured.mechanisms().toString());
    assertTrue(free.mechanisms().keySet().stream().allMatch(k -> k.contains("none")), free.mechanisms().toString());
  }
}
