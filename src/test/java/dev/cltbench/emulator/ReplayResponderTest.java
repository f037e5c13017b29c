package dev.cltbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.StudyData;
import dev.cltbench.clients.ChatRequest;
import dev.cltbench.clients.ChatResponse;
import dev.cltbench.clients.ModelCallException;
import dev.cltbench.clients.ModelClient;
import dev.cltbench.clients.ModelClients;
import dev.cltbench.clients.RetryPolicy;
import dev.cltbench.judge.JudgePrompt;
import dev.cltbench.study.Judgment;
import dev.cltbench.judge.JudgmentParser;
import dev.cltbench.study.PipelineDefinition;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The published study served back: all 2,000 answers and all 2,000 grades, each found by its own key. */
class ReplayResponderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static PipelineDefinition def;
  static ReplayResponder replay;

  @BeforeAll
  static void load() {
    def = PipelineDefinition.read(StudyData.leftBehindPipeline());
    replay = ReplayResponder.load(StudyData.study().toString(), def);
  }

  @Test
  void servesEveryRecordedAnswerWithItsLatency() throws Exception {
    int served = 0;
    try (Stream<Path> files = Files.walk(StudyData.study().resolve("results"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        JsonNode root = JSON.readTree(f.toFile());
        String modelId = ModelClients.wireModelId(def.model(root.get("model").asText()).orElseThrow());
        JsonNode sys = root.get("system_prompt_used");
        for (JsonNode r : root.get("responses")) {
          Responder.Reply reply = replay.respond(new Responder.Request(Responder.Protocol.ANTHROPIC, modelId,
              sys.isNull() ? null : sys.asText(), r.get("question_text").asText(), 2048, null, null));
          assertEquals(r.get("response").asText(), reply.text(), f + " q" + r.get("question_id"));
          assertEquals(Math.round(r.get("response_time_seconds").asDouble() * 1000), reply.latencyMs());
          served++;
        }
      }
    }
    assertEquals(2000, served);
    assertEquals(2000, replay.responseCount(), "every answer has a key of its own");
  }

  @Test
  void servesEveryRecordedGradeToTheJudgePrompt() throws Exception {
    JudgePrompt prompt = new JudgePrompt(def.rubric());
    JudgmentParser parser = new JudgmentParser(def.rubric());
    int graded = 0;
    for (PipelineDefinition.Condition c : def.conditions()) {
      Map<String, JsonNode> answers = new HashMap<>();
      try (Stream<Path> files = Files.list(StudyData.study().resolve("results").resolve(c.directory()))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          JsonNode root = JSON.readTree(f.toFile());
          for (JsonNode r : root.get("responses")) {
            answers.put(root.get("model").asText() + "/" + r.get("question_id").asText(), r);
          }
        }
      }
      try (Reader in = Files.newBufferedReader(StudyData.study().resolve("grades/" + c.directory() + ".csv"))) {
        for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
          JsonNode r = answers.get(row.get("model") + "/" + row.get("question_id"));
          String raw = r.get("response").asText();
          String evaluated = c.extractsFinalAnswer() ? def.finalAnswerExtractor().extract(raw) : raw;
          String user = prompt.user(c.language(), r.get("question_text").asText(),
              r.get("reference_answer").asText(), evaluated);
          Responder.Reply reply = replay.respond(new Responder.Request(Responder.Protocol.ANTHROPIC,
              "claude-sonnet-4-5-20250929", prompt.system(), user, 1024, null, null));
          Judgment j = parser.parse("judge", reply.text());
          assertNull(j.failure(), j.failure());
          String at = c.id() + " " + row.get("model") + " q" + row.get("question_id");
          assertEquals(Integer.parseInt(row.get("accuracy")), j.score().get("accuracy"), at);
          assertEquals(Integer.parseInt(row.get("fluency")), j.score().get("fluency"), at);
          assertEquals(Integer.parseInt(row.get("completeness")), j.score().get("completeness"), at);
          assertEquals(row.get("notes"), j.notes(), at);
          graded++;
        }
      }
    }
    assertEquals(2000, graded);
    assertEquals(2000, replay.gradeCount(), "every grade has a key of its own");
  }

  @Test
  void unknownRequestsAre404AndRecordedLatencyIsScaledOverHttp() throws Exception {
    try (ModelEmulator e = ModelEmulator.builder().responder(replay).latencyScale(0.01).start();
        ModelClient c = ModelClients.create(new PipelineDefinition.ModelSpec("claude_opus_4.5", "anthropic",
            "claude-opus-4-5", "f", e.baseUrl(), null, null, 2048, null, null, null, null, null),
            n -> null, RetryPolicy.defaults().withMaxAttempts(2))) {
      JsonNode root = JSON.readTree(StudyData.study().resolve("results/C1_english/claude_opus_4.5.json").toFile());
      JsonNode first = root.get("responses").get(0);
      ChatResponse r = c.complete(new ChatRequest(null, first.get("question_text").asText(), 2048, null, null));
      assertEquals(first.get("response").asText(), r.text());
      long scaled = Math.round(first.get("response_time_seconds").asDouble() * 1000 * 0.01);
      assertTrue(r.latencyMs() >= scaled, r.latencyMs() + " < " + scaled);
      ModelCallException ex = assertThrows(ModelCallException.class,
          () -> c.complete(new ChatRequest(null, "a question nobody asked", 2048, null, null)));
      assertEquals(404, ex.status());
    }
  }
}
