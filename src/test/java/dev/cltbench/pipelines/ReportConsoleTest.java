package dev.cltbench.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console summary prints the criteria of the table it reads, whatever the rubric. */
class ReportConsoleTest {
  private static List<String> print(String csv) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReportJob.printConditions(new PrintStream(bytes, true, StandardCharsets.UTF_8), csv);
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aRuleScorerPrintsItsOneCriterionAndNotTheTimeOrWords() throws Exception {
    List<String> lines = print("condition,responses,score_pct,exact_pct,mean_time_s,mean_words\n"
        + "C1,50,62.5,62.5,987.25,31.5\n");
    assertEquals(List.of("condition", "responses", "score%", "exact%"), List.of(lines.get(0).trim().split(" +")));
    assertEquals(List.of("C1", "50", "62.5", "62.5"), List.of(lines.get(1).trim().split(" +")));
    assertFalse(lines.get(0).contains("acc%"));
  }

  @Test
  void fourCriteriaPrintFourColumnsInTheRubricsOrderAndAnEmptyCellStaysEmpty() throws Exception {
    List<String> lines = print("condition,responses,score_pct,b_pct,a_pct,d_pct,c_pct,mean_time_s,mean_words\n"
        + "C2,3,10,20,30,,50,1.5,7\n");
    assertEquals(List.of("condition", "responses", "score%", "b%", "a%", "d%", "c%"),
        List.of(lines.get(0).trim().split(" +")));
    assertEquals(List.of("C2", "3", "10.0", "20.0", "30.0", "50.0"), List.of(lines.get(1).trim().split(" +")));
  }
}
