package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that fail loudly: configuration errors before any call, too many failed tuples exit 3. */
class RunFailsLoudlyTest {
  @TempDir Path tmp;

  Path benchmark() throws IOException {
    return StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q.json"), 2);
  }

  @Test
  void everyConfigurationErrorIsListedBeforeAnyCall() throws IOException {
    Path pipeline = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"), root -> {
      ArrayNode models = (ArrayNode) root.get("models");
      ((ObjectNode) models.get(0)).put("provider", "vllm").remove("base_url");
      ((ObjectNode) models.get(1)).put("base_url", "http://models.example.org/v1").put("api_key_env", "X_KEY");
      ((ObjectNode) models.get(2)).remove("input_price_per_million");
      ((ObjectNode) ((ArrayNode) root.get("judges")).get(0)).put("provider", "anthropik");
    });
    Map<String, String> before = FileHashes.of(tmp);
    InputErrorsTest.Result r = InputErrorsTest.main("run", "--pipeline=" + pipeline, "--benchmark=" + benchmark(),
        "--output=" + tmp.resolve("out"), "--cache=" + tmp.resolve("cache"), "--budgetUsd=1", "--progressSeconds=0");
    InputErrorsTest.oneLineError(r);
    String m = r.err();
    assertTrue(m.contains("nothing was called"), m);
    assertTrue(m.contains("model emu-openai: provider vllm has no default address: set base_url"), m);
    assertTrue(m.contains("model emu-anthropic: its key (X_KEY) would go over plain http to models.example.org"), m);
    assertTrue(m.contains("--budgetUsd=1.0 cannot be kept") && m.contains("emu-gemini"), m);
    assertTrue(m.contains("model emu-judge-a: unknown provider 'anthropik'"), m);
    assertTrue(m.contains("missing API key X_KEY"), m);
    Files.delete(tmp.resolve("q.json"));
    before.remove("q.json");
    assertEquals(before, FileHashes.of(tmp), "nothing written, no cache entry");
  }

  @Test
  void reportRefusesAnUnknownJudgeProvider() throws IOException {
    Path pipeline = StudyFiles.editedPipeline(Path.of("pipelines/left-behind.json"), tmp.resolve("p.json"),
        root -> ((ObjectNode) root.get("judge")).put("provider", "anthropik"));
    InputErrorsTest.Result r = InputErrorsTest.main("report", "--pipeline=" + pipeline, "--output=" + tmp.resolve("out"));
    InputErrorsTest.oneLineError(r);
    assertTrue(r.err().contains("unknown provider 'anthropik'"), r.err());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void tooManyFailedTuplesWriteEverythingAndExit3() throws IOException {
    Path pipeline = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"),
        root -> ((ObjectNode) root.get("emulator")).putArray("refuse_models")
            .add(root.get("models").get(3).get("model_id").asText()));
    Path out = tmp.resolve("out");
    InputErrorsTest.Result r = InputErrorsTest.main("run", "--pipeline=" + pipeline, "--benchmark=" + benchmark(),
        "--output=" + out, "--cache=", "--progressSeconds=0", "--languageId=false");
    assertEquals(Main.TOO_MANY_FAILURES, r.code(), r.err());
    List<String> lines = r.err().strip().lines().toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(last.contains("14 of 56 tuples failed (25.0%), more than --maxFailureRate=0.05")
        && last.contains("everything was written to " + out), last);
    assertEquals(14, Files.readAllLines(out.resolve("failures.jsonl")).size());
    assertTrue(Files.exists(out.resolve("report.html")) && Files.exists(out.resolve("tables/conditions.csv")));
  }

  @Test
  void everyTupleFailedIsExit3WhateverTheRate() throws IOException {
    Path pipeline = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"),
        root -> {
          ArrayNode refuse = ((ObjectNode) root.get("emulator")).putArray("refuse_models");
          root.get("models").forEach(m -> refuse.add(m.get("model_id").asText()));
        });
    Path out = tmp.resolve("out");
    InputErrorsTest.Result r = InputErrorsTest.main("run", "--pipeline=" + pipeline, "--benchmark=" + benchmark(),
        "--output=" + out, "--cache=", "--progressSeconds=0", "--languageId=false", "--maxFailureRate=1");
    assertEquals(Main.TOO_MANY_FAILURES, r.code(), r.err());
    assertTrue(r.err().strip().endsWith("exit 3") && r.err().contains("every tuple failed (56 of 56)"), r.err());
    assertEquals(56, Files.readAllLines(out.resolve("failures.jsonl")).size());
  }
}
