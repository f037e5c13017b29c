package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.study.PipelineDefinition;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch mode runs in this JVM against the emulator's batch endpoints: the published pipeline's
 * models (the three on batch APIs batched, the routers' live) ask every request once; requests a
 * batch errors or expires go into a new batch and end graded, or, with one attempt, in
 * failures.jsonl with their kind; a provider without a batch API is refused before any call.
 */
class BatchModeRunTest {
  @TempDir Path tmp;

  /** A pipeline file with every model and judge at the emulator, edited further by {@code more}. */
  Path atEmulator(Path from, ModelEmulator emulator, Consumer<ObjectNode> more) throws Exception {
    return StudyFiles.editedPipeline(from, tmp.resolve("p-" + System.nanoTime() + ".json"), root -> {
      root.remove("emulator");
      for (String list : List.of("models", "judges", "judge")) {
        JsonNode entries = root.get(list);
        if (entries == null) {
          continue;
        }
        for (JsonNode m : entries.isArray() ? entries : List.of(entries)) {
          ObjectNode o = (ObjectNode) m;
          String host = o.hasNonNull("base_url") && o.get("base_url").asText().startsWith("http")
              ? URI.create(o.get("base_url").asText()).getHost() : "";
          // Batched where the real endpoint has a batch API (as --batch=auto decides for the real file).
          if (PipelineDefinition.ModelSpec.BATCH_HOSTS.contains(host)) {
            o.put("batch", true);
          }
          o.put("base_url", o.get("provider").asText().equals("openai") ? emulator.openAiBaseUrl() : emulator.baseUrl());
          o.remove("api_key_env");
        }
      }
      more.accept(root);
    });
  }

  @Test
  void thePublishedPipelinesModelsInBatchModeAskEveryRequestOnce() throws Exception {
    PipelineDefinition published = PipelineDefinition.read(Path.of("pipelines/left-behind.json"));
    try (ModelEmulator emulator = ModelEmulator.builder().responder(new SyntheticResponder(published)).start()) {
      Path pipeline = atEmulator(Path.of("pipelines/left-behind.json"), emulator, r -> r.remove("budget_usd"));
      CliRun run = CliRun.of("run", "--pipeline=" + pipeline, "--benchmark=../shared/left-behind-clt/benchmark/questions.json",
          "--limit=3", "--output=" + tmp.resolve("out"), "--cache=" + tmp.resolve("cache"), "--progressSeconds=0");
      assertEquals(0, run.exit(), run.toString());
      int tuples = 8 * 5 * 3;
      assertTrue(run.out().contains("tuples: " + tuples + " in = " + tuples + " graded + 0 failed"), run.toString());
      Map<String, Integer> received = emulator.batchRequestsReceived();
      // The batched models' and judge's calls as costs.csv counts them: each went out in a batch once.
      long batchedCalls = 0;
      List<String> costs = Files.readAllLines(tmp.resolve("out/tables/costs.csv"));
      List<String> head = List.of(costs.get(0).split(","));
      for (String line : costs.subList(1, costs.size())) {
        String[] c = line.split(",");
        if (Set.of("gpt_5.2", "claude_opus_4.5", "gemini_3_pro", "claude_sonnet_4.5").contains(c[0])) {
          batchedCalls += Long.parseLong(c[head.indexOf("calls")]);
        }
      }
      assertTrue(batchedCalls >= tuples, "every tuple's judge call at least: " + batchedCalls);
      assertEquals(batchedCalls, received.size(), "distinct requests that went out in batches");
      assertTrue(received.values().stream().allMatch(n -> n == 1), "no request went out twice");
      Map<String, Long> live = emulator.callsByModel();
      for (String batchedId : List.of(published.anyModel("gpt_5.2").orElseThrow().modelId(),
          published.anyModel("claude_opus_4.5").orElseThrow().modelId(),
          published.anyModel("gemini_3_pro").orElseThrow().modelId())) {
        assertFalse(live.containsKey(batchedId), batchedId + " was asked live: " + live);
      }
      assertTrue(live.containsKey(published.anyModel("grok_4.1").orElseThrow().modelId()), "routers stay live");
      // A second run with the same cache makes no call at all.
      CliRun again = CliRun.of("run", "--pipeline=" + pipeline, "--benchmark=../shared/left-behind-clt/benchmark/questions.json",
          "--limit=3", "--output=" + tmp.resolve("again"), "--cache=" + tmp.resolve("cache"), "--progressSeconds=0");
      assertEquals(0, again.exit(), again.toString());
      assertTrue(again.out().contains("model calls: 0 made"), again.out());
      assertEquals(received, emulator.batchRequestsReceived());
    }
  }

  @Test
  void erroredAndExpiredRequestsGoIntoANewBatchOrLandInFailuresWithTheirKind() throws Exception {
    try (ModelEmulator emulator = ModelEmulator.builder()
        .responder(new SyntheticResponder(PipelineDefinition.read(Path.of("pipelines/quickstart.json"))))
        .batchFailures(3, 5).start()) {
      Path questions = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q.json"), 3);
      Path retried = atEmulator(Path.of("pipelines/quickstart.json"), emulator, r -> { });
      CliRun run = CliRun.of("run", "--pipeline=" + retried, "--benchmark=" + questions, "--batch=auto",
          "--output=" + tmp.resolve("out"), "--cache=" + tmp.resolve("cache"), "--progressSeconds=0");
      assertEquals(0, run.exit(), run.toString());
      int tuples = 7 * 4 * 3;
      assertTrue(run.out().contains("tuples: " + tuples + " in = " + tuples + " graded + 0 failed"), run.toString());
      Map<String, Integer> received = emulator.batchRequestsReceived();
      long twice = received.values().stream().filter(n -> n == 2).count();
      assertTrue(twice > 0, "the emulator failed some requests on purpose, and they came again");
      assertTrue(received.values().stream().allMatch(n -> n <= 2), "each at most once more");

      Path once = atEmulator(Path.of("pipelines/quickstart.json"), emulator, r -> ((ObjectNode) r.get("limits")
          .get("default")).put("max_attempts", 1));
      // New texts for the emulator (a different system prompt would do too): other questions.
      Path others = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q2.json"), 6);
      CliRun failing = CliRun.of("run", "--pipeline=" + once, "--benchmark=" + others, "--questions=4-6",
          "--batch=auto", "--maxFailureRate=1", "--output=" + tmp.resolve("failing"),
          "--cache=" + tmp.resolve("cache2"), "--progressSeconds=0");
      String failures = Files.readString(tmp.resolve("failing/failures.jsonl"));
      assertTrue(failures.contains("\"kind\":\"batch_errored\""), failing + "\n" + failures);
      assertTrue(failures.contains("\"kind\":\"batch_expired\""), failures);
    }
  }

  @Test
  void batchModeForAProviderWithoutABatchApiIsRefusedBeforeAnyCall() throws Exception {
    try (ModelEmulator emulator = ModelEmulator.builder().start()) {
      Path pipeline = atEmulator(Path.of("pipelines/quickstart.json"), emulator, r -> { });
      CliRun all = CliRun.of("run", "--pipeline=" + pipeline, "--batch=true", "--output=" + tmp.resolve("o1"),
          "--cache=" + tmp.resolve("c1"));
      assertEquals(2, all.exit(), all.toString());
      assertTrue(all.err().contains("emu-cohere") && all.err().contains("--batch=auto"), all.err());
      Path cohereBatched = atEmulator(Path.of("pipelines/quickstart.json"), emulator, r -> {
        for (JsonNode m : r.get("models")) {
          if (m.get("provider").asText().equals("cohere")) {
            ((ObjectNode) m).put("batch", true);
          }
        }
      });
      CliRun file = CliRun.of("run", "--pipeline=" + cohereBatched, "--output=" + tmp.resolve("o2"),
          "--cache=" + tmp.resolve("c2"));
      assertEquals(2, file.exit(), file.toString());
      assertTrue(file.err().contains(".batch") && file.err().contains("emu-cohere"), file.err());
      CliRun bad = CliRun.of("run", "--pipeline=" + pipeline, "--batch=sometimes", "--output=" + tmp.resolve("o3"));
      assertEquals(2, bad.exit(), bad.toString());
      assertTrue(bad.err().contains("--batch must be true, false or auto"), bad.err());
      CliRun noCache = CliRun.of("run", "--pipeline=" + pipeline, "--batch=auto", "--cache=",
          "--output=" + tmp.resolve("o4"));
      assertEquals(2, noCache.exit(), noCache.toString());
      assertTrue(noCache.err().contains("--cache"), noCache.err());
      assertEquals(0, emulator.requests(), "nothing was called");
      for (String o : Set.of("o1", "o2", "o3", "o4")) {
        assertFalse(Files.exists(tmp.resolve(o)), "no partial output");
      }
    }
  }
}
