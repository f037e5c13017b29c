package dev.cltbench.transforms;

import dev.cltbench.report.CriterionIntervalRow;
import dev.cltbench.report.IntervalRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.stats.ClusterBootstrap;
import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.Seeds;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.GroupKey;
import dev.cltbench.study.PipelineDefinition;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The intervals table and the criterion intervals table: the mean total score, and the mean of each
 * rubric criterion (in percent of its maximum), per condition, per family x condition and per model x
 * condition, with a percentile bootstrap CI that resamples questions (a condition's or a family's mean
 * pools several models' answers to each question, which are not independent). A model x condition
 * group has one response per question, where this is the ordinary bootstrap. The accuracy and fluency
 * figures draw the criterion intervals. Both tables share one clustering pass and one bootstrap: a
 * response's criteria are the parts of its total, and each resample of a group's questions gives the
 * total's mean and every criterion's (the seed is the group's, so the total's interval is what it is
 * without the criteria).
 */
public final class ClusteredIntervals extends PTransform<PCollection<EvaluatedResponse>, PCollection<TableRow>> {
  private final PipelineDefinition definition;
  private final StudyOrder order;

  public ClusteredIntervals(PipelineDefinition definition, StudyOrder order) {
    super("ClusteredIntervals");
    this.definition = definition;
    this.order = order;
  }

  @Override
  public PCollection<TableRow> expand(PCollection<EvaluatedResponse> responses) {
    List<String> criteria = definition.rubric().criterionNames();
    return responses
        .apply(new ClusterByQuestion<>("ClusterScoresByQuestion", new ScoreValues(criteria), GroupKey.coder()))
        .apply("IntervalRows", ParDo.of(new IntervalFn(definition, order, criteria)))
        .setCoder(TableRow.coder());
  }

  /** The total under each group's key, with the criteria's scores as its parts. */
  static final class ScoreValues implements ClusterByQuestion.Values<EvaluatedResponse, GroupKey> {
    private final List<String> criteria;

    ScoreValues(List<String> criteria) {
      this.criteria = criteria;
    }

    @Override
    public void of(EvaluatedResponse r, ClusterByQuestion.Sink<GroupKey> out) {
      int q = r.questionId();
      int[] parts = new int[criteria.size()];
      for (int c = 0; c < parts.length; c++) {
        parts[c] = r.score().get(criteria.get(c));
      }
      for (GroupKey g : List.of(GroupKey.of("condition", "all", r.condition()),
          GroupKey.of("family", r.family(), r.condition()), GroupKey.of("model", r.model(), r.condition()))) {
        out.add(g, q, r.total(), parts);
      }
    }
  }

  static final class IntervalFn extends DoFn<KV<GroupKey, ClusterHistogram>, TableRow> {
    private final PipelineDefinition definition;
    private final StudyOrder order;
    private final List<String> criteria;

    IntervalFn(PipelineDefinition definition, StudyOrder order, List<String> criteria) {
      this.definition = definition;
      this.order = order;
      this.criteria = criteria;
    }

    @ProcessElement
    public void process(@Element KV<GroupKey, ClusterHistogram> group, OutputReceiver<TableRow> out) {
      GroupKey k = group.getKey();
      String scope = k.scope() + ":" + k.group() + ":" + k.condition();
      PipelineDefinition.StatisticsSettings st = definition.statistics();
      List<ClusterBootstrap.Interval> cis = ClusterBootstrap.withParts(group.getValue(), st.confidence(),
          st.bootstrapResamples(), Seeds.forScope(st.seed(), scope));
      String sort = order.group(k.scope(), k.group()) + "/" + order.condition(k.condition());
      double scale = 100.0 / Rubrics.scaledMaxTotal(definition);
      ClusterBootstrap.Interval ci = cis.get(0);
      out.output(IntervalRow.SCHEMA.row(new IntervalRow(k.scope(), k.group(), k.condition(), ci.values(),
          ci.mean() * scale, ci.lower() * scale, ci.upper() * scale), sort));
      for (int c = 0; c < criteria.size() && c + 1 < cis.size(); c++) {
        String criterion = criteria.get(c);
        double of = 100.0 / Rubrics.scaledMax(definition, criterion);
        ci = cis.get(c + 1);
        out.output(CriterionIntervalRow.SCHEMA.row(new CriterionIntervalRow(k.scope(), k.group(), k.condition(),
            criterion, ci.values(), ci.mean() * of, ci.lower() * of, ci.upper() * of),
            sort + "/" + String.format(Locale.ROOT, "%03d", c)));
      }
    }
  }
}
