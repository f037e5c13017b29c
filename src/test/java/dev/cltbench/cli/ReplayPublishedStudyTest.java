package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published study through the live path: every model and the judge replayed by the emulator over
 * HTTP (the four wire protocols the study's models use), 2,000 answers and 2,000 judge calls. The
 * grades and tables must come out as the published ones; only measured times may differ.
 */
class ReplayPublishedStudyTest {
  @TempDir Path tmp;

  @Test
  void replayedRunReproducesThePublishedGradesAndTables() throws Exception {
    String study = StudyData.study().toString();
    CliRun published = CliRun.of("report", "--study=" + study, "--output=" + tmp.resolve("published"),
        "--languageId=false");
    assertEquals(0, published.exit(), published::toString);
    CliRun replay = CliRun.of("run", "--pipeline=pipelines/left-behind.json", "--replay=" + study,
        "--latencyScale=0", "--output=" + tmp.resolve("replay"), "--cache=", "--progressSeconds=0",
        "--languageId=false");
    assertEquals(0, replay.exit(), replay::toString);
    assertTrue(replay.out().contains("tuples: 2000 in = 2000 graded + 0 failed"), replay::toString);
    assertTrue(replay.out().contains("model calls: 4000 made"), replay::toString);

    // Every grade, note and recorded answer length, as published.
    assertEquals(StudyFiles.grades(StudyData.study(), "response_time"),
        StudyFiles.grades(tmp.resolve("replay"), "response_time"));
    for (String table : List.of("conditions", "families", "models", "categories")) {
      assertEquals(RunQuickstartTest.withoutColumn(tmp.resolve("published/tables/" + table + ".csv"), "mean_time_s"),
          RunQuickstartTest.withoutColumn(tmp.resolve("replay/tables/" + table + ".csv"), "mean_time_s"), table);
    }
    assertEquals(Files.readString(tmp.resolve("published/tables/significance.csv")),
        Files.readString(tmp.resolve("replay/tables/significance.csv")));
  }

  @Test
  void regradingWithTheRecordedJudgeAgreesWithTheRecordedGradesPerfectly() throws Exception {
    String study = StudyData.study().toString();
    CliRun grade = CliRun.of("grade", "--pipeline=pipelines/left-behind.json", "--study=" + study,
        "--replay=" + study, "--latencyScale=0", "--output=" + tmp.resolve("grade"), "--cache=",
        "--progressSeconds=0", "--languageId=false");
    assertEquals(0, grade.exit(), grade::toString);
    assertTrue(grade.out().contains("tuples: 2000 in = 2000 graded + 0 failed"), grade::toString);
    // Only the judge was called: the answers are the recorded ones.
    assertTrue(grade.out().contains("model calls: 2000 made"), grade::toString);
    int rows = 0;
    try (Reader in = Files.newBufferedReader(tmp.resolve("grade/tables/judge_agreement.csv"))) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        assertEquals("claude_sonnet_4.5", r.get("rater_a"));
        assertEquals("recorded", r.get("rater_b"));
        assertEquals("2000", r.get("units"));
        assertEquals(100.0, Double.parseDouble(r.get("exact_agreement_pct")), 1e-12);
        assertEquals(1.0, Double.parseDouble(r.get("quadratic_kappa")), 1e-12);
        assertEquals(1.0, Double.parseDouble(r.get("krippendorff_alpha_ordinal")), 1e-12);
        rows++;
      }
    }
    assertEquals(4, rows);
    // The recorded answers were no call of this run and not a cache hit either.
    long recorded = 0;
    long answerCalls = 0;
    long judgeCalls = 0;
    try (Reader in = Files.newBufferedReader(tmp.resolve("grade/tables/costs.csv"))) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        recorded += Long.parseLong(r.get("recorded_answers"));
        if (r.get("stage").equals("answer")) {
          answerCalls += Long.parseLong(r.get("calls")) + Long.parseLong(r.get("cached_calls"));
        } else {
          judgeCalls += Long.parseLong(r.get("calls"));
        }
      }
    }
    assertEquals(2000, recorded);
    assertEquals(0, answerCalls);
    assertEquals(2000, judgeCalls);
  }
}
