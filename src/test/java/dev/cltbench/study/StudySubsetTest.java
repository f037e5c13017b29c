package dev.cltbench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StudySubsetTest {
  static final PipelineDefinition DEF = PipelineDefinition.read(StudyData.fixturePipeline());
  static final Questions QUESTIONS = Questions.read(
      StudyData.fixture().resolve("benchmark/questions.json").toString(), DEF.languages());

  static StudySubset resolve(String models, String conditions, String questions, Integer limit) {
    return StudySubset.resolve(StudySubset.parse(models, conditions, questions, limit), DEF, QUESTIONS);
  }

  @Test
  void questionRangesAndLimitSelectIds() {
    // The fixture's questions are 1..8: a range past the end selects what is there.
    StudySubset s = resolve(null, null, "1,4,6-20", null);
    assertEquals(new TreeSet<>(List.of(1, 4, 6, 7, 8)), s.questions());
    assertEquals(Set.of(1, 4, 6), resolve(null, null, " 1, 4 ,6-20", 3).questions());
    assertEquals(Set.of(1, 2, 3), resolve(null, null, null, 3).questions());
    // Ids outside the benchmark select nothing; a selection of nothing is refused.
    assertThrows(IllegalArgumentException.class, () -> resolve(null, null, "900-950", null));
    assertEquals("1-3,7,9-10", StudySubset.idRanges(Set.of(1, 2, 3, 7, 9, 10)));
  }

  @Test
  void badSyntaxAndUnknownNamesAreRefused() {
    for (String q : List.of("a", "3-1", "1,,2", "1-", "-3", "1-2-3")) {
      assertThrows(IllegalArgumentException.class, () -> StudySubset.parse(null, null, q, null), q);
    }
    assertThrows(IllegalArgumentException.class, () -> StudySubset.parse(null, null, null, 0));
    assertThrows(IllegalArgumentException.class, () -> StudySubset.parse("a,,b", null, null, null));
    // Given empty (an unset variable in --models=$MODELS) is refused, never read as "everything".
    for (String[] empty : new String[][] {{"", null, null}, {null, " ", null}, {null, null, ""}}) {
      IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
          () -> StudySubset.parse(empty[0], empty[1], empty[2], null));
      assertTrue(blank.getMessage().contains("is empty (an unset variable?)"), blank.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolve("argali", null, null, null));
    assertTrue(e.getMessage().contains("unknown model argali") && e.getMessage().contains("argali_multi"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> resolve(null, "C9", null, null));
  }

  @Test
  void aTransferConditionIsComparedOnlyWhenItsDirectConditionIsSelected() {
    PipelineDefinition alone = resolve("argali_multi", "C3", null, null).apply(DEF);
    assertEquals(List.of("C3"), alone.conditions().stream().map(PipelineDefinition.Condition::id).toList());
    assertNull(alone.conditions().get(0).compareWith());
    assertEquals(List.of("argali_multi"), alone.models().stream().map(PipelineDefinition.ModelSpec::name).toList());
    PipelineDefinition both = resolve(null, "C3,C2", null, null).apply(DEF);
    // The file's order, not the option's.
    assertEquals(List.of("C2", "C3"), both.conditions().stream().map(PipelineDefinition.Condition::id).toList());
    assertEquals("C2", both.conditions().get(1).compareWith());
    assertEquals(DEF.models().size(), both.models().size(), "every model");
  }

  @Test
  void noOptionsIsTheWholeStudy() {
    StudySubset s = resolve(null, null, null, null);
    assertTrue(s.isAll());
    assertTrue(s.apply(DEF) == DEF);
  }
}
