package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import dev.cltbench.report.RowSchema;
import dev.cltbench.report.ScoreRow;
import dev.cltbench.report.SignificanceRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyLayout;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The report's transforms one by one on the fixture study, with PAssert: the join gives one
 * evaluated response per grade row with its scores; the per-condition summary and the paired
 * comparison agree with sums the test makes from the grades CSVs itself.
 */
class ReportTransformsTest {
  static final CSVFormat HEADED = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();

  @Test
  void joinSummaryAndComparisonAgreeWithTheGradesFiles() throws Exception {
    Path study = StudyData.fixture();
    PipelineDefinition def = PipelineDefinition.read(StudyData.fixturePipeline());
    long recorded = StudyData.responses(study);
    Questions questions = Questions.read(StudyLayout.questionsFile(study.toString()), def.languages());
    List<String> categories = new ArrayList<>();
    questions.all().forEach(q -> categories.add(q.category()));
    StudyOrder order = new StudyOrder(def, new ArrayList<>(new LinkedHashSet<>(categories)));

    // The test's own numbers, straight from the CSVs: total score per condition, and per (model,
    // question) for the C3 - C2 pairs.
    Map<String, long[]> byCondition = new HashMap<>();
    Map<String, Integer> c2 = new HashMap<>();
    Map<String, Integer> c3 = new HashMap<>();
    for (PipelineDefinition.Condition c : def.conditions()) {
      try (Reader in = Files.newBufferedReader(study.resolve("grades/" + c.directory() + ".csv"), StandardCharsets.UTF_8)) {
        for (CSVRecord r : HEADED.parse(in)) {
          int total = Integer.parseInt(r.get("accuracy")) + Integer.parseInt(r.get("fluency"))
              + Integer.parseInt(r.get("completeness"));
          long[] acc = byCondition.computeIfAbsent(c.id(), k -> new long[2]);
          acc[0] += total;
          acc[1]++;
          String key = r.get("model") + "|" + r.get("question_id");
          if (c.id().equals("C2")) {
            c2.put(key, total);
          } else if (c.id().equals("C3")) {
            c3.put(key, total);
          }
        }
      }
    }
    double diffSum = 0;
    for (var e : c3.entrySet()) {
      diffSum += e.getValue() - c2.get(e.getKey());
    }
    double expectedDiffPp = diffSum / c3.size() / 6 * 100;

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<EvaluatedResponse> evaluated = PCollectionTuple
        .of(JoinResponsesWithGrades.RESPONSES, p.apply(new ReadResponseFacts(study.toString(), def, questions,
            dev.cltbench.study.StudySubset.all(), false)))
        .and(JoinResponsesWithGrades.GRADES, p.apply(new ReadStudyGrades(study.toString(), def)))
        .apply(new JoinResponsesWithGrades(def));
    PAssert.that(evaluated).satisfies(all -> {
      int n = 0;
      for (EvaluatedResponse r : all) {
        n++;
        assertEquals(r.recordedWords(), r.words(), "the final-answer rule reproduces response_length");
      }
      assertEquals(recorded, n);
      return null;
    });
    PCollection<TableRow> conditions = evaluated.apply(new SummarizeScores(def, order))
        .apply("ConditionsTable", Filter.by(r -> r.table().equals("conditions")));
    PAssert.that(conditions).satisfies(rows -> {
      int n = 0;
      RowSchema<ScoreRow> schema = ScoreRow.Kind.CONDITIONS.schema(def.rubric().criterionNames());
      for (TableRow r : rows) {
        n++;
        ScoreRow row = schema.record(r);
        long[] acc = byCondition.get(row.condition());
        assertEquals(acc[1], row.responses());
        assertEquals(100.0 * acc[0] / acc[1] / 6, row.scorePct(), 1e-9);
      }
      assertEquals(def.conditions().size(), n);
      return null;
    });
    PCollection<TableRow> overall = evaluated.apply(new CompareTransferWithDirect(def, order))
        .apply("OverallC3", Filter.by(r -> r.table().equals(SignificanceRow.SCHEMA.table())
            && SignificanceRow.SCHEMA.record(r).scope().equals("overall")
            && SignificanceRow.SCHEMA.record(r).treatment().equals("C3")));
    PAssert.that(overall).satisfies(rows -> {
      java.util.Iterator<TableRow> it = rows.iterator();
      SignificanceRow r = SignificanceRow.SCHEMA.record(it.next());
      assertFalse(it.hasNext(), "one overall C3 row");
      assertEquals("C2", r.control());
      assertEquals((long) c3.size(), r.pairs(), "one pair per C3 grade");
      assertEquals(expectedDiffPp, r.diffPp(), 1e-9);
      assertTrue(r.ciLowPp() < expectedDiffPp && expectedDiffPp < r.ciHighPp(), "the CI holds the difference");
      assertTrue(r.pValue() > 0 && r.pValue() <= 1);
      return null;
    });
    p.run().waitUntilFinish();
  }
}
