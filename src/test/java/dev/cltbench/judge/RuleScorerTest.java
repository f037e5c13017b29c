package dev.cltbench.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.Judgment;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Score;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleScorerTest {
  private final RuleScorer choice = new RuleScorer(new PipelineDefinition.Scorer("choice", null));
  private final RuleScorer exact = new RuleScorer(new PipelineDefinition.Scorer("exact-match", "match"));

  @Test
  void theLetterAnAnswerChoosesInTheShapesModelsWrite() {
    assertEquals("B", RuleScorer.chosenLetter("B"));
    assertEquals("B", RuleScorer.chosenLetter(" (b) "));
    assertEquals("C", RuleScorer.chosenLetter("C."));
    assertEquals("D", RuleScorer.chosenLetter("The answer is: D, because water boils at 100 degrees."));
    assertEquals("A", RuleScorer.chosenLetter("Жауап: А"), "a Cyrillic А is the letter A");
    assertEquals("C", RuleScorer.chosenLetter("Зөв хариулт: (C) сур харваа"));
    assertEquals("B", RuleScorer.chosenLetter("Let me think.\nB) the Ishim\nIt lies on it."));
    assertNull(RuleScorer.chosenLetter("I think it is the Ishim."), "a capital I in prose is no choice");
    assertNull(RuleScorer.chosenLetter(""));
  }

  @Test
  void aChoiceIsRightOnlyWhenItIsTheReferenceLetter() {
    Judgment right = choice.score("Answer: b", "B");
    assertTrue(right.ok());
    assertEquals(Score.of(List.of("correct"), 1), right.score());
    assertEquals("choice", right.judge());
    assertEquals(Score.of(List.of("correct"), 0), choice.score("A", "B").score());
    assertEquals(Score.of(List.of("correct"), 0), choice.score("no idea", "B").score());
    assertFalse(choice.score("B", null).ok(), "no reference, no verdict");
  }

  @Test
  void exactMatchSetsAsideCaseSpaceAndFinalPunctuation() {
    assertEquals(1, exact.score("  Astana.\n", "astana").score().get("match"));
    assertEquals(1, exact.score("New   York!", "new york").score().get("match"));
    assertEquals(0, exact.score("Astana city", "Astana").score().get("match"));
  }
}
