package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.Judgment;
import dev.cltbench.judge.Panel;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.Score;
import dev.cltbench.study.StudySubset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's evaluation transforms in a TestPipeline on an in-process fake model: each condition type
 * makes its calls and grades its text, the judge panel's grade is the lower median of its judges'
 * verdicts, and the rule scorer grades without calling any judge.
 */
class StrategiesOnFakeModelTest {
  @TempDir Path tmp;

  private static final List<String> RUBRIC = List.of("accuracy", "fluency", "completeness");

  /** Models wrap what they are asked in R(...); self-transfer answers show three steps; judges grade by length. */
  static String reply(String model, String system, String user) {
    if (model.startsWith("emu-judge")) {
      String answer = user.substring(user.indexOf("<answer>") + 8, user.lastIndexOf("</answer>"));
      int shift = model.equals("emu-judge-a") ? 0 : 1;
      return "{\"accuracy\": " + (answer.length() + shift) % 3 + ", \"fluency\": " + (answer.length() / 3 + shift) % 3
          + ", \"completeness\": " + shift + ", \"notes\": \"" + user.lines().findFirst().orElse("") + "\"}";
    }
    if (system != null && system.contains("3.")) {
      return "1-қадам\nQ\n2-қадам\nA\n3-қадам\nFINAL(" + user + ")";
    }
    return "R(" + user + ")";
  }

  /** The judge's grade of {@code answer}, computed here as the fake judges give it. */
  private static int[] grade(String judge, String answer) {
    int shift = judge.equals("emu-judge-a") ? 0 : 1;
    return new int[] {(answer.length() + shift) % 3, (answer.length() / 3 + shift) % 3, shift};
  }

  @Test
  void eachConditionTypeMakesItsCallsAndThePanelGradesItsText() {
    PipelineDefinition whole = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    // One model, which also translates for C4 and C5 (their translator).
    PipelineDefinition def = whole.withModelsAndConditions(List.of(whole.model("emu-openai").orElseThrow()),
        whole.conditions().subList(0, 5));
    FakeModel fake = new FakeModel("strategies", StrategiesOnFakeModelTest::reply);
    List<Questions.Question> questions = List.of(
        new Questions.Question(1, "culture", Map.of("english", "Why?", "kazakh", "Неге?", "mongolian", "Яагаад?"), "ref"),
        new Questions.Question(2, "science", Map.of("english", "How much?", "kazakh", "Қанша?", "mongolian", "Хэд?"), null));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<EvaluationTuple> out = p
        .apply(Create.of(questions).withCoder(Questions.questionCoder()))
        .apply(new QuestionsToTuples(def, StudySubset.all()))
        .apply(new EvaluateTuples(def, fake.calls(def)));
    PAssert.that(out).satisfies(all -> {
      List<String> seen = new ArrayList<>();
      for (EvaluationTuple t : all) {
        String q = t.questionText();
        List<String> stages = t.steps().stream().map(EvaluationTuple.Step::stage)
            .filter(s -> !s.startsWith("judge:")).toList();
        String expected;
        String judgedIn = "Kazakh";
        switch (t.condition()) {
          case "C1", "C2" -> {
            assertEquals(List.of("answer"), stages);
            expected = "R(" + q + ")";
            judgedIn = t.condition().equals("C1") ? "English" : "Kazakh";
          }
          case "C3" -> {
            assertEquals(List.of("answer"), stages);
            expected = "FINAL(" + q + ")";
          }
          case "C4" -> {
            assertEquals(List.of("translate-question", "answer", "translate-answer"), stages);
            expected = "R(R(R(" + q + ")))";
          }
          default -> {
            assertEquals("C5", t.condition());
            assertEquals(List.of("translate-question", "answer"), stages);
            expected = "R(R(" + q + "))";
            judgedIn = "English";
          }
        }
        assertEquals(expected, t.evaluatedText(), t.key());
        assertEquals(2, t.judgments().size(), t.key());
        for (Judgment j : t.judgments()) {
          assertEquals(Score.of(RUBRIC, grade(j.judge(), expected)), j.score(), t.key() + " " + j.judge());
          assertEquals("Target language: " + judgedIn, j.notes(), "the judge was told the judged language");
        }
        int[] a = grade("emu-judge-a", expected);
        int[] b = grade("emu-judge-b", expected);
        assertEquals(Score.of(RUBRIC, Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.min(a[2], b[2])),
            Panel.combine(t.judgments()).score(), "the lower median of two judges");
        seen.add(t.key());
      }
      assertEquals(2 * 5, seen.size());
      return null;
    });
    p.run().waitUntilFinish();
    // Two judges a tuple; answers and translations: C4 makes 3 calls, C5 2, the rest 1, except that
    // C4 and C5 ask the same translation of a question and then the same English answer to it, which
    // the run may make once (at most 2 calls a question saved).
    List<String> calls = fake.calls();
    assertEquals(2 * 5 * 2, calls.stream().filter(m -> m.startsWith("emu-judge")).count());
    long models = calls.stream().filter(m -> m.equals("emu-openai")).count();
    assertTrue(models <= 2 * (1 + 1 + 1 + 3 + 2) && models >= 2 * (1 + 1 + 1 + 3 + 2) - 2 * 2, calls.toString());
    assertEquals(calls.size(), models + 2 * 5 * 2, "no other model was asked");
  }

  @Test
  void theRuleScorerGradesABenchmarkReadInThePipelineWithoutAJudge() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(Path.of("pipelines/quickstart.json").toFile());
    root.remove("judges");
    root.remove("rubric");
    root.putObject("scorer").put("type", "choice");
    for (var l : root.get("languages")) {
      ((ObjectNode) l).put("question_field", "passage_question_" + l.get("code").asText());
    }
    ObjectNode fields = root.putObject("benchmark_fields");
    fields.put("format", "jsonl").put("id", "qid").put("category", "topic").put("reference", "correct");
    ArrayNode choices = fields.putArray("choices");
    for (int i = 1; i <= 4; i++) {
      choices.add("option_" + i + "_{language}");
    }
    Path file = tmp.resolve("mc.json");
    json.writeValue(file.toFile(), root);
    PipelineDefinition whole = PipelineDefinition.read(file);
    PipelineDefinition def = whole.withModelsAndConditions(List.of(whole.model("emu-openai").orElseThrow()),
        List.of(whole.condition("C2").orElseThrow()));
    // The fake reads the question it is asked: B for the Astana passage, C for any other.
    FakeModel fake = new FakeModel("rule", (model, system, user) -> user.contains("Астана") ? "Answer: B" : "(C)");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<EvaluationTuple> out = p
        .apply(new ReadBenchmark(Path.of("src/test/resources/dev/cltbench/benchmarks/belebele-style-mini.jsonl")
            .toAbsolutePath().toString(), def))
        .apply(new QuestionsToTuples(def, StudySubset.all()))
        .apply(new EvaluateTuples(def, fake.calls(def)));
    // Keys: 1 B, 2 C, 3 D, 4 A. The fake is right on 1 (B) and 2 (C), wrong on 3 and 4.
    PAssert.that(out).satisfies(all -> {
      int n = 0;
      for (EvaluationTuple t : all) {
        n++;
        assertEquals(null, t.failure(), t.key());
        assertEquals(1, t.judgments().size());
        Judgment j = t.judgments().get(0);
        assertEquals("choice", j.judge());
        int expected = t.questionId() <= 2 ? 1 : 0;
        assertEquals(Score.of(List.of("correct"), expected), j.score(), t.key() + ": " + j.notes());
        assertTrue(t.questionText().contains("\nA. ") && t.questionText().contains("\nD. "), t.questionText());
      }
      assertEquals(4, n);
      return null;
    });
    p.run().waitUntilFinish();
    assertEquals(List.of("emu-openai", "emu-openai", "emu-openai", "emu-openai"), fake.calls(),
        "one answer a question and no judge call");
  }
}
