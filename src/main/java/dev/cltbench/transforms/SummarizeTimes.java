package dev.cltbench.transforms;

import dev.cltbench.report.TableRow;
import dev.cltbench.report.TimesRow;
import dev.cltbench.stats.ValueHistogram;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.GroupKey;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The times table: response time per condition, family x condition and model x condition as mean,
 * median, quartiles and maximum. One slow answer moves a mean of 50 far (the published aya_expanse C3
 * mean of 191.9 s is one 8,763 s answer; its median is 7.7 s), so the report plots medians.
 */
public final class SummarizeTimes extends PTransform<PCollection<EvaluatedResponse>, PCollection<TableRow>> {
  private final StudyOrder order;

  public SummarizeTimes(StudyOrder order) {
    super("SummarizeTimes");
    this.order = order;
  }

  @Override
  public PCollection<TableRow> expand(PCollection<EvaluatedResponse> responses) {
    return responses
        .apply(new CombineGroups<>("CountTimesByGroup", new TimeGroups(), new TimesFn(), GroupKey.coder(),
            ValueHistogram.coder(), ValueHistogram.coder()))
        .apply("TimeRows", ParDo.of(new RowFn(order)))
        .setCoder(TableRow.coder());
  }

  static final class TimeGroups implements CombineGroups.Groups<EvaluatedResponse, GroupKey, Double> {
    @Override
    public void of(EvaluatedResponse r, CombineGroups.Sink<GroupKey, Double> out) {
      out.add(GroupKey.of("condition", "all", r.condition()), r.responseTimeSeconds());
      out.add(GroupKey.of("family", r.family(), r.condition()), r.responseTimeSeconds());
      out.add(GroupKey.of("model", r.model(), r.condition()), r.responseTimeSeconds());
    }
  }

  static final class TimesFn extends Combine.CombineFn<Double, ValueHistogram, ValueHistogram> {
    @Override
    public ValueHistogram createAccumulator() {
      return new ValueHistogram();
    }

    @Override
    public ValueHistogram addInput(ValueHistogram acc, Double t) {
      return acc.add(t);
    }

    @Override
    public ValueHistogram mergeAccumulators(Iterable<ValueHistogram> accs) {
      return CombineGroups.mergeIntoFirst(accs, ValueHistogram::merge, ValueHistogram::new);
    }

    @Override
    public ValueHistogram extractOutput(ValueHistogram acc) {
      return acc;
    }

    @Override
    public Coder<ValueHistogram> getAccumulatorCoder(CoderRegistry registry, Coder<Double> inputCoder)
        throws CannotProvideCoderException {
      return ValueHistogram.coder();
    }
  }

  static final class RowFn extends DoFn<KV<GroupKey, ValueHistogram>, TableRow> {
    private final StudyOrder order;

    RowFn(StudyOrder order) {
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<GroupKey, ValueHistogram> group, OutputReceiver<TableRow> out) {
      GroupKey k = group.getKey();
      ValueHistogram h = group.getValue();
      out.output(TimesRow.SCHEMA.row(new TimesRow(k.scope(), k.group(), k.condition(), h.count(), h.mean(),
          h.quantile(0.5), h.quantile(0.25), h.quantile(0.75), h.max()),
          order.group(k.scope(), k.group()) + "/" + order.condition(k.condition())));
    }
  }
}
