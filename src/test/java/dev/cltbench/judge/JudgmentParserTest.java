package dev.cltbench.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import dev.cltbench.study.Judgment;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Score;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgmentParserTest {
  private final JudgmentParser parser =
      new JudgmentParser(PipelineDefinition.read(StudyData.leftBehindPipeline()).rubric());

  @Test
  void acceptsOneObjectWithScoresInRange() {
    Judgment j = parser.parse("j", "{\"accuracy\": 2, \"fluency\": 0, \"completeness\": 1, \"notes\": \"Kyrgyz, not Kazakh\"}");
    assertTrue(j.ok(), j.failure());
    assertEquals(3, j.total());
    assertEquals("Kyrgyz, not Kazakh", j.notes());
  }

  @Test
  void toleratesOneJsonFence() {
    assertTrue(parser.parse("j", "```json\n{\"accuracy\": 1, \"fluency\": 1, \"completeness\": 1}\n```").ok());
  }

  @Test
  void rejectsEverythingElseWithAReason() {
    List<String> bad = List.of(
        "Accuracy: 2, fluency: 2",
        "{\"accuracy\": 3, \"fluency\": 1, \"completeness\": 1}",
        "{\"accuracy\": -1, \"fluency\": 1, \"completeness\": 1}",
        "{\"accuracy\": 1.5, \"fluency\": 1, \"completeness\": 1}",
        "{\"accuracy\": \"2\", \"fluency\": 1, \"completeness\": 1}",
        "{\"accuracy\": 1, \"fluency\": 1}",
        "{\"accuracy\": 1, \"fluency\": 1, \"completeness\": 1, \"score\": 3}",
        "{\"accuracy\": 1, \"fluency\": 1, \"completeness\": 1} and more",
        "Here you go: {\"accuracy\": 1, \"fluency\": 1, \"completeness\": 1}",
        "[1, 1, 1]",
        "",
        "```python\n{\"accuracy\": 1, \"fluency\": 1, \"completeness\": 1}\n```");
    for (String reply : bad) {
      Judgment j = parser.parse("j", reply);
      assertFalse(j.ok(), reply);
      assertFalse(j.failure().isBlank(), reply);
    }
  }

  @Test
  void panelTakesTheLowerMedianOfValidVerdicts() {
    List<String> rubric = List.of("accuracy", "fluency", "completeness");
    Judgment a = new Judgment("a", Score.of(rubric, 2, 0, 1), "", null);
    Judgment b = new Judgment("b", Score.of(rubric, 1, 2, 1), "", null);
    Judgment c = new Judgment("c", Score.of(rubric, 2, 1, 0), "", null);
    Judgment failed = Judgment.failed("d", "not JSON");
    Judgment panel = Panel.combine(List.of(a, b, c, failed));
    assertEquals(Score.of(rubric, 2, 1, 1), panel.score());
    Judgment two = Panel.combine(List.of(a, b));
    assertEquals(Score.of(rubric, 1, 0, 1), two.score());
    assertEquals(null, Panel.combine(List.of(failed)));
  }
}
