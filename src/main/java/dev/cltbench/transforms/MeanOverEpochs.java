package dev.cltbench.transforms;

import dev.cltbench.report.EpochsRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.study.CellKey;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Score;
import dev.cltbench.study.TupleKey;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The epochs of one (condition, model, question) as one unit: the repeats are measurements of the same
 * unit, so the tables score their mean and the intervals and paired tests resample units, not
 * answers (repeats narrow the answer-noise part of an interval; they do not add questions).
 *
 * <p>A unit's scores and words are carried as exact integers: the sum over its k epochs times D/k,
 * where D is the least common multiple of 1..K ({@link Rubrics#epochScale}); the summaries divide by
 * D. So the histograms, the integer paired differences and the byte-identical tables of the
 * single-epoch case carry over unchanged, and a unit whose some epochs failed is the mean of those that were graded.
 *
 * <p>Also emits the {@code epochs} table: per model and condition, how far a tuple's epochs spread.
 */
public final class MeanOverEpochs extends PTransform<PCollection<EvaluatedResponse>, PCollectionTuple> {
  public static final TupleTag<EvaluatedResponse> UNITS = new TupleTag<>() {};
  public static final TupleTag<TableRow> SPREAD = new TupleTag<>() {};
  private static final TupleTag<KV<CellKey, List<Double>>> PER_UNIT = new TupleTag<>() {};

  private final PipelineDefinition definition;
  private final StudyOrder order;

  public MeanOverEpochs(PipelineDefinition definition, StudyOrder order) {
    super("MeanOverEpochs");
    this.definition = definition;
    this.order = order;
  }

  @Override
  public PCollectionTuple expand(PCollection<EvaluatedResponse> responses) {
    PCollectionTuple units = responses
        .apply("KeyByQuestionBlock", WithKeys
            .of((EvaluatedResponse r) -> TupleKey.block(r.condition(), r.model(), r.questionId()))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EvaluatedResponse.coder()))
        .apply("GroupEpochsByBlock", GroupByKey.create())
        .apply("MeanPerUnit", ParDo.of(new UnitFn(definition)).withOutputTags(UNITS, TupleTagList.of(PER_UNIT)));
    units.get(UNITS).setCoder(EvaluatedResponse.coder());
    PCollection<TableRow> spread = units.get(PER_UNIT)
        .setCoder(KvCoder.of(CellKey.coder(), ListCoder.of(DoubleCoder.of())))
        .apply("GroupSpreadByModelCondition", GroupByKey.create())
        .apply("SpreadRows", ParDo.of(new SpreadFn(definition, order)))
        .setCoder(TableRow.coder());
    return PCollectionTuple.of(UNITS, units.get(UNITS)).and(SPREAD, spread);
  }

  static final class UnitFn extends DoFn<KV<String, Iterable<EvaluatedResponse>>, EvaluatedResponse> {
    private final PipelineDefinition definition;

    UnitFn(PipelineDefinition definition) {
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<EvaluatedResponse>> block, MultiOutputReceiver out) {
      TreeMap<Integer, List<EvaluatedResponse>> byQuestion = new TreeMap<>();
      block.getValue().forEach(r -> byQuestion.computeIfAbsent(r.questionId(), q -> new ArrayList<>()).add(r));
      long scale = Rubrics.epochScale(definition);
      int maxTotal = Rubrics.maxTotal(definition);
      for (List<EvaluatedResponse> epochs : byQuestion.values()) {
        epochs.sort(java.util.Comparator.comparingInt(EvaluatedResponse::epoch));
        int k = epochs.size();
        List<String> criteria = epochs.get(0).score().criteria();
        long[] sums = new long[criteria.size()];
        double seconds = 0;
        long words = 0;
        double[] totals = new double[k];
        for (int i = 0; i < k; i++) {
          EvaluatedResponse r = epochs.get(i);
          int[] scores = r.score().scores();
          for (int c = 0; c < sums.length; c++) {
            sums[c] += scores[c];
          }
          seconds += r.responseTimeSeconds();
          words += r.words();
          totals[i] = r.total();
        }
        EvaluatedResponse first = epochs.get(0);
        int[] unit = new int[sums.length];
        for (int c = 0; c < sums.length; c++) {
          unit[c] = Math.toIntExact(sums[c] * scale / k);
        }
        out.get(UNITS).output(new EvaluatedResponse(first.condition(), first.conditionType(),
            first.language(), first.model(), first.family(), first.questionId(), first.category(),
            Score.of(criteria, unit), seconds / k, first.evaluatedText(), first.extraction(),
            // Words in the scores' units too (x D / k, exact): rounded to a whole word, the unit's
            // mean of 7 and 8 words was 8, and mean_words drifted up by up to half a word.
            Math.toIntExact(words * scale / k), first.recordedWords(), first.notes(),
            first.languageFacts(), 0));
        double mean = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double t : totals) {
          mean += t / k;
          min = Math.min(min, t);
          max = Math.max(max, t);
        }
        double ss = 0;
        for (double t : totals) {
          ss += (t - mean) * (t - mean);
        }
        double sd = k > 1 ? Math.sqrt(ss / (k - 1)) : 0;
        out.get(PER_UNIT).output(KV.of(new CellKey(first.condition(), first.model()),
            List.of((double) k, sd * 100.0 / maxTotal, (max - min) * 100.0 / maxTotal)));
      }
    }
  }

  /** model, condition, tuples, epochs (min-max), mean within-tuple SD, share of tuples that differ, widest range. */
  static final class SpreadFn extends DoFn<KV<CellKey, Iterable<List<Double>>>, TableRow> {
    private final PipelineDefinition definition;
    private final StudyOrder order;

    SpreadFn(PipelineDefinition definition, StudyOrder order) {
      this.definition = definition;
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<CellKey, Iterable<List<Double>>> group, OutputReceiver<TableRow> out) {
      CellKey k = group.getKey();
      // Sorted, so the sums do not depend on the order a runner delivers them in.
      List<List<Double>> units = new ArrayList<>();
      group.getValue().forEach(units::add);
      units.sort(java.util.Comparator.<List<Double>>comparingDouble(u -> u.get(0))
          .thenComparingDouble(u -> u.get(1)).thenComparingDouble(u -> u.get(2)));
      long n = units.size();
      long epochs = 0;
      double sd = 0;
      long differ = 0;
      double widest = 0;
      for (List<Double> u : units) {
        epochs += Math.round(u.get(0));
        sd += u.get(1);
        differ += u.get(2) > 0 ? 1 : 0;
        widest = Math.max(widest, u.get(2));
      }
      out.output(EpochsRow.SCHEMA.row(new EpochsRow(k.model(), k.condition(), n, epochs, sd / n, differ * 100.0 / n,
          widest), order.group("model", k.model()) + "/" + order.condition(k.condition())));
    }
  }
}
