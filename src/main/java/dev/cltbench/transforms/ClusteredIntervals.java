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
 * The intervals table: the mean score per condition, per family x condition and per model x
 * condition with a percentile bootstrap CI that resamples questions (a condition's or a family's mean
 * pools several models' answers to each question, which are not independent). A model x condition
 * group has one response per question, where this is the ordinary bootstrap.
 */
public final class ClusteredIntervals extends PTransform<PCollection<EvaluatedResponse>, PCollection<TableRow>> {
  private static final String SEP = "\u001f";

  private final PipelineDefinition definition;
  private final StudyOrder order;

  public ClusteredIntervals(PipelineDefinition definition, StudyOrder order) {
    super("ClusteredIntervals");
    this.definition = definition;
    this.order = order;
  }

  @Override
  public PCollection<TableRow> expand(PCollection<EvaluatedResponse> responses) {
    return responses
        .apply("KeyScoreByGroupAndQuestion", ParDo.of(new KeyFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
        .apply(new ClusterByQuestion("ClusterScoresByQuestion"))
        .apply("IntervalRows", ParDo.of(new IntervalFn(definition, order)))
        .setCoder(TableRow.coder());
  }

  static final class KeyFn extends DoFn<EvaluatedResponse, KV<String, Integer>> {
    @ProcessElement
    public void process(@Element EvaluatedResponse r, OutputReceiver<KV<String, Integer>> out) {
      int q = r.questionId();
      out.output(KV.of(ClusterByQuestion.key("condition" + SEP + "all" + SEP + r.condition(), q), r.total()));
      out.output(KV.of(ClusterByQuestion.key("family" + SEP + r.family() + SEP + r.condition(), q), r.total()));
      out.output(KV.of(ClusterByQuestion.key("model" + SEP + r.model() + SEP + r.condition(), q), r.total()));
    }
  }

  static final class IntervalFn extends DoFn<KV<String, ClusterHistogram>, TableRow> {
    private final PipelineDefinition definition;
    private final StudyOrder order;

    IntervalFn(PipelineDefinition definition, StudyOrder order) {
      this.definition = definition;
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<String, ClusterHistogram> group, OutputReceiver<TableRow> out) {
      String[] k = group.getKey().split(SEP, -1);
      String dimension = k[0];
      String name = k[1];
      String condition = k[2];
      double scale = 100.0 / Rubrics.scaledMaxTotal(definition);
      PipelineDefinition.StatisticsSettings st = definition.statistics();
      ClusterBootstrap.Interval ci = ClusterBootstrap.ci(group.getValue(), st.confidence(),
          st.bootstrapResamples(), Seeds.forScope(st.seed(), dimension + ":" + name + ":" + condition));
      out.output(new TableRow("intervals", order.group(dimension, name) + "/" + order.condition(condition),
          List.of(dimension, name, condition, ci.values(), ci.mean() * scale, ci.lower() * scale,
              ci.upper() * scale)));
    }
  }
}
