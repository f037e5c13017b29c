package dev.cltbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.judge.JudgePrompt;
import dev.cltbench.study.Judgment;
import dev.cltbench.judge.JudgmentParser;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyntheticResponderTest {
  static final PipelineDefinition DEF = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
  static final SyntheticResponder R = new SyntheticResponder(DEF);
  static final Pattern KAZAKH_ONLY = Pattern.compile("[әғқңұһі]");
  static final Pattern CYRILLIC = Pattern.compile("\\p{IsCyrillic}");

  static String ask(String model, String system, String user) {
    return R.respond(new Responder.Request(Responder.Protocol.OPENAI, model, system, user, 100, null, null)).text();
  }

  @Test
  void answersInTheQuestionsLanguageAndRepeatsItself() {
    String kk = ask("m", null, "Абай Құнанбаев кім болған?");
    assertTrue(KAZAKH_ONLY.matcher(kk).find(), kk);
    String mn = ask("m", null, "Чингис хааны төрсөн газар хаана вэ?");
    assertTrue(CYRILLIC.matcher(mn).find(), mn);
    assertFalse(KAZAKH_ONLY.matcher(mn).find(), mn);
    String en = ask("m", null, "Who was Abai?");
    assertFalse(CYRILLIC.matcher(en).find(), en);
    assertEquals(en, ask("m", null, "Who was Abai?"));
    assertNotEquals(en, ask("m", null, "Who was Genghis Khan?"));
  }

  @Test
  void selfTransferAnswersCarryTheStepThreeMarker() {
    PipelineDefinition.Condition c3 = DEF.condition("C3").orElseThrow();
    FinalAnswerExtractor x = DEF.finalAnswerExtractor();
    String raw = ask("m", c3.systemPrompt(), "Абай Құнанбаев кім болған?");
    assertEquals(FinalAnswerExtractor.Rule.MARKER, x.extraction(raw).rule(), raw);
    String answer = x.extract(raw);
    assertFalse(answer.isBlank());
    assertTrue(KAZAKH_ONLY.matcher(answer).find(), answer);
    assertFalse(answer.contains("қадам"), "only the final answer follows the marker: " + answer);
  }

  @Test
  void translationPromptsGetTheTargetLanguage() {
    PipelineDefinition.Prompts p = DEF.promptsOrDefault();
    String en = ask("m", p.translate("Kazakh", "English"), "Абай Құнанбаев кім болған?\nЕкінші жол");
    assertFalse(CYRILLIC.matcher(en).find(), en);
    assertEquals(2, en.split("\n").length, "lines are kept");
    String mn = ask("m", p.translate("English", "Mongolian"), "He was a poet.");
    assertTrue(CYRILLIC.matcher(mn).find() && !KAZAKH_ONLY.matcher(mn).find(), mn);
    assertEquals(4, mn.split(" ").length, "word for word");
  }

  @Test
  void judgeRequestsGetGradesTheParserAcceptsVaryingByJudge() {
    JudgePrompt prompt = new JudgePrompt(DEF.rubric());
    JudgmentParser parser = new JudgmentParser(DEF.rubric());
    Set<String> differing = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String user = prompt.user("Kazakh", "question " + i, "reference", "answer " + i);
      Judgment a = parser.parse("a", ask("emu-judge-a", prompt.system(), user));
      Judgment b = parser.parse("b", ask("emu-judge-b", prompt.system(), user));
      assertNull(a.failure(), a.failure());
      assertNull(b.failure(), b.failure());
      assertEquals(a, parser.parse("a", ask("emu-judge-a", prompt.system(), user)), "deterministic");
      if (a.total() != b.total() || !a.score().equals(b.score())) {
        differing.add("q" + i);
      }
    }
    assertTrue(differing.size() >= 5, "two judges should disagree sometimes: " + differing);
  }
}
