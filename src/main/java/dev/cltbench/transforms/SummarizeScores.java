package dev.cltbench.transforms;

import dev.cltbench.report.ScoreRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.stats.ScoreSummary;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.GroupKey;
import dev.cltbench.study.PipelineDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Groups graded responses by condition, by family x condition, by model x condition and by category x
 * condition, and turns each group into a row of the conditions, families, models and categories tables
 * (their intervals, clustered by question, come from {@link ClusteredIntervals}).
 * Groups are summarised by an associative combiner, so no worker ever holds a whole group's responses.
 */
public final class SummarizeScores extends PTransform<PCollection<EvaluatedResponse>, PCollection<TableRow>> {
  private final PipelineDefinition definition;
  private final StudyOrder order;

  public SummarizeScores(PipelineDefinition definition, StudyOrder order) {
    super("SummarizeScores");
    this.definition = definition;
    this.order = order;
  }

  @Override
  public PCollection<TableRow> expand(PCollection<EvaluatedResponse> responses) {
    int maxTotal = Rubrics.scaledMaxTotal(definition);
    return responses
        .apply(new CombineGroups<>("CombineGroup", new ScoreGroups(maxTotal), new SummarizeFn(maxTotal),
            GroupKey.coder(), ScoreSummary.coder(), ScoreSummary.coder()))
        .apply("ToTableRows", ParDo.of(new ToRowsFn(definition, order)))
        .setCoder(TableRow.coder());
  }

  /**
   * Each response as the summary of one response, under its four groups: what crosses the GroupByKey
   * is a few numbers, not the response with its texts (four copies of every text made the 100x study's
   * report hold gigabytes).
   */
  static final class ScoreGroups implements CombineGroups.Groups<EvaluatedResponse, GroupKey, ScoreSummary> {
    private final int maxTotal;

    ScoreGroups(int maxTotal) {
      this.maxTotal = maxTotal;
    }

    @Override
    public void of(EvaluatedResponse e, CombineGroups.Sink<GroupKey, ScoreSummary> out) {
      ScoreSummary one = new ScoreSummary(maxTotal).add(e.score().scores(), e.responseTimeSeconds(), e.words());
      out.add(GroupKey.of("condition", "all", e.condition()), one);
      out.add(GroupKey.of("family", e.family(), e.condition()), one);
      out.add(GroupKey.of("model", e.model(), e.condition()), one);
      out.add(GroupKey.of("category", e.category(), e.condition()), one);
    }
  }

  static final class SummarizeFn extends Combine.CombineFn<ScoreSummary, ScoreSummary, ScoreSummary> {
    private final int maxTotal;

    SummarizeFn(int maxTotal) {
      this.maxTotal = maxTotal;
    }

    @Override
    public ScoreSummary createAccumulator() {
      return new ScoreSummary(maxTotal);
    }

    @Override
    public ScoreSummary addInput(ScoreSummary acc, ScoreSummary one) {
      return acc.merge(one);
    }

    @Override
    public ScoreSummary mergeAccumulators(Iterable<ScoreSummary> accs) {
      ScoreSummary merged = createAccumulator();
      for (ScoreSummary a : accs) {
        merged.merge(a);
      }
      return merged;
    }

    @Override
    public ScoreSummary extractOutput(ScoreSummary acc) {
      return acc;
    }

    @Override
    public Coder<ScoreSummary> getAccumulatorCoder(CoderRegistry registry,
        Coder<ScoreSummary> inputCoder) throws CannotProvideCoderException {
      return ScoreSummary.coder();
    }
  }

  static final class ToRowsFn extends DoFn<KV<GroupKey, ScoreSummary>, TableRow> {
    private final PipelineDefinition definition;
    private final StudyOrder order;

    ToRowsFn(PipelineDefinition definition, StudyOrder order) {
      this.definition = definition;
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<GroupKey, ScoreSummary> group, OutputReceiver<TableRow> out) {
      String dimension = group.getKey().scope();
      String name = group.getKey().group();
      String condition = group.getKey().condition();
      ScoreSummary s = group.getValue();
      List<String> criteria = definition.rubric().criterionNames();
      Map<String, Double> pct = new LinkedHashMap<>();
      for (int i = 0; i < criteria.size(); i++) {
        pct.put(criteria.get(i), s.criterionPct(i, Rubrics.scaledMax(definition, criteria.get(i))));
      }
      // A unit of epochs carries its words, like its scores, times the epoch scale (MeanOverEpochs).
      // delta_clt_pp (families, models) is filled in once both conditions' rows are together.
      ScoreRow row = new ScoreRow(name, condition, s.count(), s.scorePct(Rubrics.scaledMaxTotal(definition)), pct,
          s.meanSeconds(), s.meanWords() / Rubrics.epochScale(definition), null);
      ScoreRow.Kind kind = switch (dimension) {
        case "condition" -> ScoreRow.Kind.CONDITIONS;
        case "family" -> ScoreRow.Kind.FAMILIES;
        case "model" -> ScoreRow.Kind.MODELS;
        case "category" -> ScoreRow.Kind.CATEGORIES;
        default -> throw new IllegalStateException("no score table for " + dimension);
      };
      out.output(kind.schema(criteria).row(row, order.group(dimension, name) + "/" + order.condition(condition)));
    }
  }
}
