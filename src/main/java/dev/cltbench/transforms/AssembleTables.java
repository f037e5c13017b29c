package dev.cltbench.transforms;

import dev.cltbench.report.PowerRow;
import dev.cltbench.report.RowSchema;
import dev.cltbench.report.ScoreRow;
import dev.cltbench.report.SignificanceRow;
import dev.cltbench.report.Table;
import dev.cltbench.report.TableRow;
import dev.cltbench.report.TableSchemas;
import dev.cltbench.report.TableSink;
import dev.cltbench.stats.Holm;
import dev.cltbench.stats.PowerAnalysis;
import dev.cltbench.study.PipelineDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Brings every table row together (tables are summaries: their size depends on the numbers of
 * conditions, models and categories, never on the number of responses), sorts rows into the study's
 * order, fills in what needs rows of several groups (delta CLT, Holm-adjusted p-values) and hands the
 * finished tables to a {@link TableSink}.
 */
public final class AssembleTables extends PTransform<PCollection<TableRow>, PCollection<Void>> {
  private final PipelineDefinition definition;
  private final TableSink sink;
  private final PCollection<?> after;

  public AssembleTables(PipelineDefinition definition, TableSink sink) {
    this(definition, sink, null);
  }

  /** The sink runs once {@code after} is complete (the page reads what it wrote), when not null. */
  public AssembleTables(PipelineDefinition definition, TableSink sink, PCollection<?> after) {
    super("AssembleTables");
    this.definition = definition;
    this.sink = sink;
    this.after = after;
  }

  @Override
  public PCollection<Void> expand(PCollection<TableRow> rows) {
    if (after != null) {
      rows = rows.apply("AfterResponsesWritten", Wait.on(after)).setCoder(TableRow.coder());
    }
    // The rows as a side input of one element, not grouped under one key: a study with no graded
    // response has no rows, and a group of nothing never runs, so the sink (the page, the run's
    // failures and costs tables) would silently not be written.
    PCollectionView<List<TableRow>> all = rows.apply("GatherRows", View.asList());
    return rows.getPipeline()
        .apply("Once", Create.of("tables").withCoder(StringUtf8Coder.of()))
        .apply("BuildAndWriteTables", ParDo.of(new BuildFn(definition, sink, all)).withSideInputs(all));
  }

  static final class BuildFn extends DoFn<String, Void> {
    private final PipelineDefinition definition;
    private final TableSink sink;
    private final PCollectionView<List<TableRow>> rows;

    BuildFn(PipelineDefinition definition, TableSink sink, PCollectionView<List<TableRow>> rows) {
      this.definition = definition;
      this.sink = sink;
      this.rows = rows;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      sink.accept(build(definition, c.sideInput(rows)));
    }
  }

  /** The finished tables, in the report's order; tables without rows are left out. */
  public static Map<String, Table> build(PipelineDefinition definition, Iterable<TableRow> rows) {
    Map<String, List<TableRow>> byTable = new HashMap<>();
    for (TableRow r : rows) {
      byTable.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    for (RowSchema<?> schema : TableSchemas.all(definition.rubric().criterionNames())) {
      List<TableRow> list = byTable.remove(schema.table());
      if (list == null) {
        continue;
      }
      list.sort(Comparator.comparing(TableRow::sortKey));
      tables.put(schema.table(), finish(definition, schema, list));
    }
    if (!byTable.isEmpty()) {
      throw new IllegalStateException("rows for unknown tables " + byTable.keySet());
    }
    return tables;
  }

  /**
   * The table of the sorted rows, read back as records (so every row is checked against its schema) and
   * completed where a cell needs rows of several groups.
   */
  private static <R> Table finish(PipelineDefinition definition, RowSchema<R> schema, List<TableRow> rows) {
    List<String> criteria = definition.rubric().criterionNames();
    if (schema.table().equals(SignificanceRow.SCHEMA.table())) {
      return SignificanceRow.SCHEMA.table(withHolm(SignificanceRow.SCHEMA.records(rows)));
    }
    if (schema.table().equals(PowerRow.SCHEMA.table())) {
      return PowerRow.SCHEMA.table(withStrictest(PowerRow.SCHEMA.records(rows)));
    }
    for (ScoreRow.Kind kind : List.of(ScoreRow.Kind.FAMILIES, ScoreRow.Kind.MODELS)) {
      if (schema.table().equals(kind.table())) {
        RowSchema<ScoreRow> scores = kind.schema(criteria);
        return scores.table(withDeltaClt(definition, scores.records(rows)));
      }
    }
    return schema.table(schema.records(rows));
  }

  /** A family's or a model's row of one condition. */
  private record GroupCondition(String group, String condition) {}

  /** Transfer rows get their score minus the score of the same group under the direct condition. */
  private static List<ScoreRow> withDeltaClt(PipelineDefinition def, List<ScoreRow> rows) {
    Map<GroupCondition, Double> scores = new HashMap<>();
    for (ScoreRow row : rows) {
      scores.put(new GroupCondition(row.group(), row.condition()), row.scorePct());
    }
    List<ScoreRow> out = new ArrayList<>(rows.size());
    for (ScoreRow row : rows) {
      PipelineDefinition.Condition c = def.condition(row.condition()).orElseThrow();
      if (c.isTransfer()) {
        Double control = scores.get(new GroupCondition(row.group(), c.compareWith()));
        out.add(row.withDeltaCltPp(control == null ? null : row.scorePct() - control));
      } else {
        out.add(row);
      }
    }
    return out;
  }

  /**
   * Holm tests the smallest p-value of the m comparisons at alpha / m: the detectable effect at that
   * level is what a comparison must show to be significant whatever the others show.
   */
  private static List<PowerRow> withStrictest(List<PowerRow> rows) {
    int m = rows.size();
    List<PowerRow> out = new ArrayList<>(m);
    for (PowerRow row : rows) {
      double a = row.alpha() / m;
      out.add(row.withStrictest(a, row.questions() < 2 ? Double.NaN
          : PowerAnalysis.mde(row.sdQuestionPp(), row.questions(), a, CompareTransferWithDirect.POWER)));
    }
    return out;
  }

  private static List<SignificanceRow> withHolm(List<SignificanceRow> rows) {
    double[] ps = new double[rows.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = rows.get(i).pValue();
    }
    double[] adjusted = Holm.adjust(ps);
    List<SignificanceRow> out = new ArrayList<>(rows.size());
    for (int i = 0; i < ps.length; i++) {
      out.add(rows.get(i).withPAdjusted(adjusted[i]));
    }
    return out;
  }
}
