package dev.cltbench.transforms;

import dev.cltbench.report.Table;
import dev.cltbench.report.TableRow;
import dev.cltbench.report.TableSchemas;
import dev.cltbench.report.TableSink;
import dev.cltbench.stats.Holm;
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
    for (TableSchemas.Schema schema : TableSchemas.all(definition.rubric().criterionNames())) {
      List<TableRow> list = byTable.remove(schema.name());
      if (list == null) {
        continue;
      }
      list.sort(Comparator.comparing(TableRow::sortKey));
      List<List<Object>> cells = new ArrayList<>();
      list.forEach(r -> cells.add(new ArrayList<>(r.cells())));
      switch (schema.name()) {
        case "families", "models" -> fillDeltaClt(definition, schema.columns(), cells);
        case "significance" -> fillHolm(schema.columns(), cells);
        case "power" -> fillStrictest(schema.columns(), cells);
        default -> {}
      }
      tables.put(schema.name(), new Table(schema.name(), schema.title(), schema.columns(), cells));
    }
    if (!byTable.isEmpty()) {
      throw new IllegalStateException("rows for unknown tables " + byTable.keySet());
    }
    return tables;
  }

  /** A family's or a model's row of one condition. */
  private record GroupCondition(String group, String condition) {}

  /** Transfer rows get their score minus the score of the same group under the direct condition. */
  private static void fillDeltaClt(PipelineDefinition def, List<String> columns, List<List<Object>> rows) {
    int group = 0;
    int condition = 1;
    int score = columns.indexOf("score_pct");
    int delta = columns.indexOf("delta_clt_pp");
    Map<GroupCondition, Double> scores = new HashMap<>();
    for (List<Object> row : rows) {
      scores.put(new GroupCondition((String) row.get(group), (String) row.get(condition)),
          (Double) row.get(score));
    }
    for (List<Object> row : rows) {
      PipelineDefinition.Condition c = def.condition((String) row.get(condition)).orElseThrow();
      if (c.isTransfer()) {
        Double control = scores.get(new GroupCondition((String) row.get(group), c.compareWith()));
        row.set(delta, control == null ? null : (Double) row.get(score) - control);
      }
    }
  }

  /**
   * Holm tests the smallest p-value of the m comparisons at alpha / m: the detectable effect at that
   * level is what a comparison must show to be significant whatever the others show.
   */
  private static void fillStrictest(List<String> columns, List<List<Object>> rows) {
    int m = rows.size();
    int alpha = columns.indexOf("alpha");
    int sd = columns.indexOf("sd_question_pp");
    int n = columns.indexOf("questions");
    for (List<Object> row : rows) {
      double a = (Double) row.get(alpha) / m;
      long q = (Long) row.get(n);
      row.set(columns.indexOf("alpha_strictest"), a);
      row.set(columns.indexOf("mde_strictest_pp"), q < 2 ? Double.NaN
          : dev.cltbench.stats.PowerAnalysis.mde((Double) row.get(sd), q, a, 0.8));
    }
  }

  private static void fillHolm(List<String> columns, List<List<Object>> rows) {
    int p = columns.indexOf("p_value");
    int adjusted = columns.indexOf("p_adjusted");
    double[] ps = new double[rows.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = (Double) rows.get(i).get(p);
    }
    double[] adj = Holm.adjust(ps);
    for (int i = 0; i < ps.length; i++) {
      rows.get(i).set(adjusted, adj[i]);
    }
  }
}
