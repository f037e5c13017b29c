package dev.cltbench.transforms;

import dev.cltbench.report.TableRow;
import dev.cltbench.stats.ClusterBootstrap;
import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.Seeds;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.PipelineDefinition;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The criterion intervals table: as {@link ClusteredIntervals}, the mean of each rubric criterion (in
 * percent of its maximum) per condition, per family x condition and per model x condition, with a
 * bootstrap CI that resamples questions; the accuracy and fluency figures draw these.
 */
public final class CriterionIntervals extends PTransform<PCollection<EvaluatedResponse>, PCollection<TableRow>> {
  public static final String TABLE = "criterion_intervals";
  private static final String SEP = "\u001f";

  private final PipelineDefinition definition;
  private final StudyOrder order;

  public CriterionIntervals(PipelineDefinition definition, StudyOrder order) {
    super("CriterionIntervals");
    this.definition = definition;
    this.order = order;
  }

  @Override
  public PCollection<TableRow> expand(PCollection<EvaluatedResponse> responses) {
    List<String> criteria = definition.rubric().criteria().stream().map(PipelineDefinition.Criterion::name)
        .toList();
    return responses
        .apply("KeyCriterionByGroupAndQuestion", ParDo.of(new KeyFn(criteria)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
        .apply(new ClusterByQuestion("ClusterCriteriaByQuestion"))
        .apply("CriterionIntervalRows", ParDo.of(new IntervalFn(definition, order, criteria)))
        .setCoder(TableRow.coder());
  }

  static final class KeyFn extends DoFn<EvaluatedResponse, KV<String, Integer>> {
    private final List<String> criteria;

    KeyFn(List<String> criteria) {
      this.criteria = criteria;
    }

    @ProcessElement
    public void process(@Element EvaluatedResponse r, OutputReceiver<KV<String, Integer>> out) {
      int q = r.questionId();
      for (String c : criteria) {
        int s = r.score().get(c);
        out.output(KV.of(ClusterByQuestion.key(String.join(SEP, "condition", "all", r.condition(), c), q), s));
        out.output(KV.of(ClusterByQuestion.key(String.join(SEP, "family", r.family(), r.condition(), c), q), s));
        out.output(KV.of(ClusterByQuestion.key(String.join(SEP, "model", r.model(), r.condition(), c), q), s));
      }
    }
  }

  static final class IntervalFn extends DoFn<KV<String, ClusterHistogram>, TableRow> {
    private final PipelineDefinition definition;
    private final StudyOrder order;
    private final List<String> criteria;

    IntervalFn(PipelineDefinition definition, StudyOrder order, List<String> criteria) {
      this.definition = definition;
      this.order = order;
      this.criteria = criteria;
    }

    @ProcessElement
    public void process(@Element KV<String, ClusterHistogram> group, OutputReceiver<TableRow> out) {
      String[] k = group.getKey().split(SEP, -1);
      String dimension = k[0];
      String name = k[1];
      String condition = k[2];
      String criterion = k[3];
      double scale = 100.0 / Rubrics.scaledMax(definition, criterion);
      PipelineDefinition.StatisticsSettings st = definition.statistics();
      ClusterBootstrap.Interval ci = ClusterBootstrap.ci(group.getValue(), st.confidence(),
          st.bootstrapResamples(),
          Seeds.forScope(st.seed(), dimension + ":" + name + ":" + condition + ":" + criterion));
      out.output(new TableRow(TABLE, order.group(dimension, name) + "/" + order.condition(condition) + "/"
              + String.format(java.util.Locale.ROOT, "%03d", criteria.indexOf(criterion)),
          List.of(dimension, name, condition, criterion, ci.values(), ci.mean() * scale, ci.lower() * scale,
              ci.upper() * scale)));
    }
  }
}
