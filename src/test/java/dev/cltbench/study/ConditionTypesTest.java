package dev.cltbench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each condition type as a specification: the calls it makes (who is asked, with which system prompt
 * and which text), the text it grades and the language that text is judged in, driven by an
 * in-process fake model that echoes what it was asked.
 */
class ConditionTypesTest {
  private final PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));

  /** The fake model: a reply that names the stage, the model and the text it was given. */
  private static String fake(ConditionType.Prompt p) {
    return "[" + p.stage() + " by " + p.model() + "] " + p.user();
  }

  private EvaluationTuple tuple(String condition, String question) {
    PipelineDefinition.Condition c = def.condition(condition).orElseThrow();
    return new EvaluationTuple(c.id(), "emu-gemini", 4, "reasoning", c.language(), question, "ref",
        List.of(), null, null, List.of(), null);
  }

  /** Runs every stage of the tuple's condition with {@code model}; returns the prompts, in order. */
  private List<ConditionType.Prompt> run(EvaluationTuple[] t, java.util.function.Function<ConditionType.Prompt, String> model) {
    PipelineDefinition.Condition c = def.condition(t[0].condition()).orElseThrow();
    List<ConditionType.Prompt> asked = new ArrayList<>();
    for (String stage : c.conditionType().stages()) {
      ConditionType.Prompt p = c.conditionType().prompt(stage, def, c, t[0]);
      asked.add(p);
      t[0] = t[0].withStep(new EvaluationTuple.Step(stage, p.model(), p.system(), p.user(), model.apply(p),
          0, 0, 0, false));
    }
    t[0] = c.conditionType().withGradedText(t[0], def.finalAnswerExtractor());
    return asked;
  }

  @Test
  void everyTypeOfThePipelineFileIsOneRegisteredClass() {
    assertEquals(List.of("direct", "self-transfer", "pipeline-transfer", "translate-test"),
        List.copyOf(ConditionTypes.names()));
    for (PipelineDefinition.Condition c : def.conditions()) {
      assertEquals(c.type(), c.conditionType().name());
    }
    assertTrue(ConditionTypes.of("back-translate").isEmpty());
  }

  @Test
  void directAsksTheQuestionOnceAndGradesTheAnswerInItsLanguage() {
    EvaluationTuple[] t = {tuple("C2", "Сұрақ?")};
    PipelineDefinition.Condition c = def.condition("C2").orElseThrow();
    List<ConditionType.Prompt> asked = run(t, ConditionTypesTest::fake);
    assertEquals(List.of(new ConditionType.Prompt("answer", "emu-gemini", c.systemPrompt(), "Сұрақ?")), asked);
    assertEquals("[answer by emu-gemini] Сұрақ?", t[0].evaluatedText());
    assertEquals("whole", t[0].extraction());
    assertEquals("Kazakh", c.conditionType().judgedLanguageName(def, c));
    assertEquals("kaz", c.conditionType().judgedIso6393(def, c));
    assertEquals(t[0].evaluatedText(), c.conditionType().recordedResponse(t[0]));
  }

  @Test
  void selfTransferAsksOnceAndGradesTheTextAfterTheStepThreeMarker() {
    EvaluationTuple[] t = {tuple("C3", "Сұрақ?")};
    PipelineDefinition.Condition c = def.condition("C3").orElseThrow();
    String reply = "1-қадам\nQuestion?\n2-қадам\nAnswer.\n3-қадам\nЖауап.";
    List<ConditionType.Prompt> asked = run(t, p -> reply);
    assertEquals(List.of(new ConditionType.Prompt("answer", "emu-gemini", c.systemPrompt(), "Сұрақ?")), asked);
    assertEquals("Жауап.", t[0].evaluatedText());
    assertEquals("marker", t[0].extraction());
    assertEquals(reply, c.conditionType().recordedResponse(t[0]), "the whole response is recorded");
    assertEquals(new ConditionType.Graded("Жауап.", "marker"),
        c.conditionType().gradedFromRecorded(reply, def.finalAnswerExtractor()));
    // No marker, six lines or more: the last third (the study's rule), found as a fallback.
    String unmarked = "a\nb\nc\nd\ne\nf";
    assertEquals(new ConditionType.Graded("e\nf", "last-third"),
        c.conditionType().gradedFromRecorded(unmarked, def.finalAnswerExtractor()));
    assertEquals("Kazakh", c.conditionType().judgedLanguageName(def, c));
  }

  @Test
  void pipelineTransferTranslatesAnswersInEnglishAndGradesTheBackTranslation() {
    EvaluationTuple[] t = {tuple("C4", "Сұрақ?")};
    PipelineDefinition.Condition c = def.condition("C4").orElseThrow();
    List<ConditionType.Prompt> asked = run(t, ConditionTypesTest::fake);
    PipelineDefinition.Prompts prompts = def.promptsOrDefault();
    String translator = c.translator();
    assertEquals(List.of(
        new ConditionType.Prompt("translate-question", translator, prompts.translate("Kazakh", "English"), "Сұрақ?"),
        new ConditionType.Prompt("answer", "emu-gemini", c.systemPrompt(),
            "[translate-question by " + translator + "] Сұрақ?"),
        new ConditionType.Prompt("translate-answer", translator, prompts.translate("English", "Kazakh"),
            "[answer by emu-gemini] [translate-question by " + translator + "] Сұрақ?")), asked);
    String back = "[translate-answer by " + translator + "] [answer by emu-gemini] [translate-question by "
        + translator + "] Сұрақ?";
    assertEquals(back, t[0].evaluatedText());
    assertEquals(back, c.conditionType().recordedResponse(t[0]));
    assertEquals("Kazakh", c.conditionType().judgedLanguageName(def, c));
    // Without a translator the model translates for itself (C7).
    EvaluationTuple[] own = {tuple("C7", "Асуулт?")};
    List<ConditionType.Prompt> ownAsked = run(own, ConditionTypesTest::fake);
    assertEquals(List.of("emu-gemini", "emu-gemini", "emu-gemini"),
        ownAsked.stream().map(ConditionType.Prompt::model).toList());
    assertEquals(prompts.translate("Mongolian", "English"), ownAsked.get(0).system());
  }

  @Test
  void translateTestAnswersTheTranslationAndIsJudgedInEnglish() {
    EvaluationTuple[] t = {tuple("C5", "Сұрақ?")};
    PipelineDefinition.Condition c = def.condition("C5").orElseThrow();
    List<ConditionType.Prompt> asked = run(t, ConditionTypesTest::fake);
    assertEquals(List.of("translate-question", "answer"), asked.stream().map(ConditionType.Prompt::stage).toList());
    assertEquals("[answer by emu-gemini] [translate-question by " + c.translator() + "] Сұрақ?",
        t[0].evaluatedText());
    assertEquals("English", c.conditionType().judgedLanguageName(def, c));
    assertEquals("eng", c.conditionType().judgedIso6393(def, c));
    assertThrows(IllegalArgumentException.class,
        () -> c.conditionType().prompt("translate-answer", def, c, t[0]), "translate-test has no third call");
  }
}
