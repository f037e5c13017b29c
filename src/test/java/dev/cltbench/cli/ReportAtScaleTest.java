package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cltbench.StudyData;
import dev.cltbench.synth.SyntheticStudy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale smoke: a synthetic study five times the published one (10,000 responses) reports with
 * exit 0 on the default runner, every output is well-formed, and the conditions, models, families and
 * categories tables equal SQL over its grade CSVs. Timings are the benchmark's business (scripts/bench-report-scale.sh), not this test's.
 */
class ReportAtScaleTest {
  static final int SCALE = 5;
  @TempDir Path tmp;

  /** Families as the study's README gives them (not read from the pipeline file). */
  static final Map<String, String> FAMILY = ReportOnPublishedStudyTest.FAMILY;
  static final Map<String, String> DIRECTORY = Map.of("C1_english", "C1", "C2_kazakh", "C2",
      "C3_kazakh_transfer", "C3", "C4_mongolian", "C4", "C5_mongolian_transfer", "C5");
  static final Map<String, String> CONTROL = Map.of("C3", "C2", "C5", "C4");

  @Test
  void fiveTimesThePublishedStudyReportsAndItsTablesEqualSqlOverItsGrades() throws Exception {
    Path study = tmp.resolve("x" + SCALE);
    assertEquals(SCALE * 2000L, SyntheticStudy.load(StudyData.study()).write(study, SCALE, 20260218L));
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("report", "--pipeline=pipelines/left-behind.json", "--study=" + study,
        "--output=" + out);
    assertEquals(0, run.exit(), run::toString);
    WellFormedOutput.check(out);
    try (IndependentAggregates sql = new IndependentAggregates(study.resolve("grades"), DIRECTORY, FAMILY, CONTROL)) {
      sql.checkAll(out);
    }
  }
}
