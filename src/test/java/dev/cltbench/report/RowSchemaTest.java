package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * Every table's schema writes a record's cells and reads the same record back by column name, through
 * the pipeline's coder, whatever order the columns come in, with the cell types the renderers expect.
 */
class RowSchemaTest {
  private static final List<String> CRITERIA = List.of("accuracy", "fluency", "completeness");

  private static Map<String, Double> pct(double a, double f, double c) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", a);
    m.put("fluency", f);
    m.put("completeness", c);
    return m;
  }

  /** One awkward record per table: names with {@code < & " ,}, NaN, negative zero, nulls where allowed. */
  private static Map<RowSchema<?>, Object> samples() {
    Map<RowSchema<?>, Object> m = new LinkedHashMap<>();
    m.put(ScoreRow.Kind.CONDITIONS.schema(CRITERIA),
        new ScoreRow("all", "C<1>", 50, 62.5, pct(1, Double.NaN, -0.0), 1.5, 31.25, null));
    m.put(ScoreRow.Kind.FAMILIES.schema(CRITERIA),
        new ScoreRow("a \"fam\", b", "C3", 8, 10, pct(1, 2, 3), 0.25, 7, -4.5));
    m.put(ScoreRow.Kind.MODELS.schema(CRITERIA), new ScoreRow("m&n", "C2", 8, 10, pct(1, 2, 3), 0.25, 7, null));
    m.put(ScoreRow.Kind.CATEGORIES.schema(CRITERIA),
        new ScoreRow("قانون", "C2", 1, 100, pct(100, 100, 100), 9e9, 0, null));
    m.put(SignificanceRow.SCHEMA, new SignificanceRow("model:x", "C3", "C2", 16, 3.1, -7.3, 12.5, 1e-12, null));
    m.put(PowerRow.SCHEMA, new PowerRow("overall", "C5", "C4", 1, 1, Double.NaN, Double.NaN, Double.NaN, 0.05,
        Double.NaN, null, 42L, 0.025, Double.NaN));
    m.put(IntervalRow.SCHEMA, new IntervalRow("family", "f", "C1", 0, Double.NaN, Double.NaN, Double.NaN));
    m.put(CriterionIntervalRow.SCHEMA, new CriterionIntervalRow("condition", "all", "C1", "fluency", 3, 50, 0, 100));
    m.put(TimesRow.SCHEMA, new TimesRow("model", "m", "C1", 2, 1.5, 1.5, 1.25, 1.75, 2));
    m.put(LanguageRow.SCHEMA, new LanguageRow("m", "C2", 8, 87.5, 0, null));
    m.put(JudgeAgreementRow.SCHEMA, new JudgeAgreementRow("total", "all", "", 80, null, null, 0.5));
    m.put(EpochsRow.SCHEMA, new EpochsRow("m", "C1", 4, 12, 0, 25, 33.3));
    return m;
  }

  @Test
  void everyTableHasASampleAndTheReportsOrder() {
    List<String> names = new ArrayList<>();
    TableSchemas.all(CRITERIA).forEach(s -> names.add(s.table()));
    assertEquals(List.of("conditions", "families", "models", "categories", "significance", "power", "intervals",
        "criterion_intervals", "times", "language", "judge_agreement", "epochs"), names);
    assertEquals(names.size(), samples().size());
  }

  @Test
  void scoreTablesHaveOneColumnPerCriterionInTheRubricsOrderAndTheDeltaWhereTransferIsCompared() {
    List<String> rubric = List.of("b", "a");
    assertEquals(List.of("condition", "responses", "score_pct", "b_pct", "a_pct", "mean_time_s", "mean_words"),
        ScoreRow.Kind.CONDITIONS.schema(rubric).columns());
    assertEquals(List.of("model", "condition", "responses", "score_pct", "b_pct", "a_pct", "mean_time_s",
        "mean_words", "delta_clt_pp"), ScoreRow.Kind.MODELS.schema(rubric).columns());
    assertEquals(List.of("category", "condition", "responses", "score_pct", "exact_pct", "mean_time_s",
        "mean_words"), ScoreRow.Kind.CATEGORIES.schema(List.of("exact")).columns());
  }

  @Test
  void aRecordSurvivesTheCoderAndATableWithItsColumnsShuffled() throws Exception {
    for (Map.Entry<RowSchema<?>, Object> e : samples().entrySet()) {
      roundTrip(e.getKey(), e.getValue());
    }
  }

  private static <R> void roundTrip(RowSchema<?> untyped, Object sample) throws Exception {
    @SuppressWarnings("unchecked")
    RowSchema<R> schema = (RowSchema<R>) SerializableUtils.clone(untyped);
    @SuppressWarnings("unchecked")
    R record = (R) sample;
    TableRow row = schema.row(record, "k");
    for (Object cell : row.cells()) {
      assertTrue(cell == null || cell instanceof String || cell instanceof Long || cell instanceof Double,
          schema.table() + ": " + cell);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TableRow.coder().encode(row, bytes);
    TableRow decoded = TableRow.coder().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(record, schema.record(decoded), schema.table());

    // Read by name: reversed columns give the same record.
    List<String> columns = new ArrayList<>(schema.columns());
    List<Object> cells = new ArrayList<>(row.cells());
    Collections.reverse(columns);
    Collections.reverse(cells);
    Table reversed = new Table(schema.table(), schema.title(), columns, List.of(cells));
    assertEquals(List.of(record), schema.rows(reversed), schema.table());
    assertEquals(List.of(row.cells()), schema.table(List.of(record)).rows(), schema.table());
  }

  @Test
  void theRunsAndJudgesTablesRoundTripToo() throws Exception {
    roundTrip(FailureRow.SCHEMA, new FailureRow("judge", "m", "C1", "429", "error", true, 3));
    roundTrip(FailureRow.SCHEMA, new FailureRow("answer", "", "", "", "budget", false, 1));
    assertEquals("true", FailureRow.SCHEMA.cells(new FailureRow("a", "b", "c", "d", "e", true, 1)).get(5));
    roundTrip(JudgeDiagnosticsRow.SCHEMA, new JudgeDiagnosticsRow("recorded", null, 2000, null, null, null, 0.12,
        -0.01, 0.2, null, 0, null, null, null));
    roundTrip(JudgeDiagnosticsRow.SCHEMA, new JudgeDiagnosticsRow("j<1>", "openai", 10, 1.5, -2.0, 4.0, -0.0,
        Double.NaN, 1.0, "a b", 4, 2.0, 1.0, 3.0));
  }

  @Test
  void aGradesFileHasThePublishedColumnsAndTheEpochOnlyWithEpochs() throws Exception {
    dev.cltbench.study.PipelineDefinition.Rubric rubric = dev.cltbench.study.PipelineDefinition
        .read(dev.cltbench.StudyData.fixture().resolve("pipeline.json")).rubric();
    List<String> published = List.of("question_id", "category", "model", "accuracy", "fluency", "completeness",
        "total", "response_time", "response_length", "notes");
    assertEquals(published, dev.cltbench.transforms.ReadStudyGrades.schema(rubric, false).columns());
    List<String> withEpoch = new ArrayList<>(published);
    withEpoch.add("epoch");
    assertEquals(withEpoch, dev.cltbench.transforms.ReadStudyGrades.schema(rubric, true).columns());
    dev.cltbench.study.GradeRecord g = new dev.cltbench.study.GradeRecord("", "m", 7, "law, \"civil\"",
        dev.cltbench.study.Score.of(rubric.criterionNames(), 2, 1, 0), 1.25, 12, "a < b & \"c\"\nd", "", 1);
    RowSchema<dev.cltbench.study.GradeRecord> schema = dev.cltbench.transforms.ReadStudyGrades.schema(rubric, true);
    assertEquals(List.of(7L, "law, \"civil\"", "m", 2L, 1L, 0L, 3L, "1.250", 12L, "a < b & \"c\"\nd", 1L),
        schema.cells(g));
    roundTrip(schema, g);
  }

  @Test
  void everyTableReadsBackFromItsCsvAsTheRecordsWritten() {
    for (Map.Entry<RowSchema<?>, Object> e : samples().entrySet()) {
      csvRoundTrip(e.getKey(), e.getValue());
    }
    csvRoundTrip(CostRow.SCHEMA, new CostRow("m", "answer", 3, 1, 1, 4, 10, 20, 5, 10, 20, 34_758, 0, 1, 0));
    csvRoundTrip(FailureRow.SCHEMA, new FailureRow("answer", "", "", "", "budget", false, 1));
  }

  /** As written: CSV keeps no sign of zero, and an empty cell is null, or NaN where a number is always there. */
  private static <R> void csvRoundTrip(RowSchema<?> untyped, Object sample) {
    @SuppressWarnings("unchecked")
    RowSchema<R> schema = (RowSchema<R>) untyped;
    @SuppressWarnings("unchecked")
    R record = (R) sample;
    String csv = schema.table(List.of(record)).toCsv();
    List<R> back = schema.readCsv(csv);
    assertEquals(1, back.size());
    assertEquals(csv, schema.table(back).toCsv(), schema.table());
  }

  @Test
  void aCsvCellOfTheWrongKindNamesTheTableColumnAndText() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntervalRow.SCHEMA.readCsv(
        "scope,group,condition,responses,score_pct,ci_low_pct,ci_high_pct\ncondition,all,C1,3.5,1,2,3\n"));
    assertTrue(e.getMessage().contains("intervals") && e.getMessage().contains("responses")
        && e.getMessage().contains("3.5"), e.getMessage());
  }

  @Test
  void costsKeepMicroDollarsExactAsDollarsWithSixDecimals() throws Exception {
    CostRow row = new CostRow("m", "answer", 3, 1, 1, 4, 10, 20, 5, 10, 20, 34_758, 0, 9_000_000_000_123L, 0);
    assertEquals(List.of("m", "answer", 3L, 1L, 1L, 4L, 10L, 20L, 5L, 10L, 20L, "0.034758", "0.000000",
        "9000000.000123", 0L), CostRow.SCHEMA.cells(row));
    roundTrip(CostRow.SCHEMA, row);
    CostRow other = new CostRow("m", "judge", 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0);
    CostRow lost = new CostRow("m", "answer-lost", 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0);
    String csv = CostRow.csv(List.of(other, row, lost));
    List<String> lines = csv.lines().toList();
    assertEquals("model,stage,calls,cached_calls,failed_calls,attempts,input_tokens,output_tokens,reasoning_tokens,"
        + "billed_input_tokens,billed_output_tokens,cost_usd,failed_calls_cost_usd,study_cost_usd,recorded_answers",
        lines.get(0));
    assertEquals(List.of("m,answer,", "m,answer-lost,", "m,judge,"),
        lines.subList(1, 4).stream().map(l -> l.substring(0, l.indexOf(',', 2) + 1)).toList());
  }

  @Test
  void aMissingColumnOrAWrongTypeFailsNamingTheTableAndColumn() {
    Table noCi = new Table("intervals", "t", List.of("scope", "group", "condition", "responses", "score_pct",
        "ci_low_pct"), List.of(List.of("condition", "all", "C1", 3L, 50.0, 40.0)));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> IntervalRow.SCHEMA.rows(noCi));
    assertTrue(missing.getMessage().contains("intervals") && missing.getMessage().contains("ci_high_pct"),
        missing.getMessage());
    Table wrong = new Table("intervals", "t", IntervalRow.SCHEMA.columns(),
        List.of(List.of("condition", "all", "C1", 3.0, 50.0, 40.0, 60.0)));
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> IntervalRow.SCHEMA.rows(wrong));
    assertTrue(type.getMessage().contains("responses"), type.getMessage());
  }
}
