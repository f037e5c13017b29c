package dev.cltbench.transforms;

import dev.cltbench.clients.RunLedger;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Token and cost accounting of a live run, per model and stage, at the pipeline file's prices:
 * {@code tables/costs.csv}. {@code cost_usd} is what this run spent; {@code study_cost_usd} what the
 * whole study cost, cached calls at the tokens recorded when they were made, so a study resumed over
 * several runs still shows its full cost. Answers read from a recorded study ({@code grade}) were no
 * call of this study: they are {@code recorded_answers}, neither calls nor cached calls. Sums combine
 * per key, so no worker holds the run's calls.
 */
public final class SummarizeCosts extends PTransform<PCollection<EvaluationTuple>, PDone> {
  public static final String HEADER =
      "model,stage,calls,cached_calls,input_tokens,output_tokens,cost_usd,study_cost_usd,recorded_answers";
  private static final String SEP = "\u001f";

  private final PipelineDefinition definition;
  private final String directory;
  private final boolean answersRecorded;

  public SummarizeCosts(PipelineDefinition definition, String directory) {
    this(definition, directory, false);
  }

  /** @param answersRecorded the tuples' answer steps were read from a recorded study, not called */
  public SummarizeCosts(PipelineDefinition definition, String directory, boolean answersRecorded) {
    super("SummarizeCosts");
    this.definition = definition;
    this.directory = directory;
    this.answersRecorded = answersRecorded;
  }

  @Override
  public PDone expand(PCollection<EvaluationTuple> tuples) {
    ListCoder<Long> sums = ListCoder.of(VarLongCoder.of());
    boolean recorded = answersRecorded;
    tuples
        .apply("CallCosts", ParDo.of(new DoFn<EvaluationTuple, KV<String, List<Long>>>() {
          @ProcessElement
          public void process(@Element EvaluationTuple t, OutputReceiver<KV<String, List<Long>>> out) {
            for (EvaluationTuple.Step s : t.steps()) {
              ModelSpec spec = definition.anyModel(s.model()).orElseThrow();
              if (recorded && s.stage().equals(RunSteps.ANSWER)) {
                out.output(KV.of(s.model() + SEP + s.stage(), List.of(0L, 0L, 0L, 0L, 0L, 0L, 1L)));
                continue;
              }
              long whole = RunLedger.costMicros(spec, s.inputTokens(), s.outputTokens());
              out.output(KV.of(s.model() + SEP + s.stage(), List.of(s.cached() ? 0L : 1L,
                  s.cached() ? 1L : 0L, s.inputTokens(), s.outputTokens(), s.cached() ? 0L : whole, whole, 0L)));
            }
          }
        }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), sums))
        .apply("SumPerModelStage", Combine.perKey(new SumFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), sums))
        .apply("OneTable", WithKeys.of("costs")).setCoder(KvCoder.of(StringUtf8Coder.of(),
            KvCoder.of(StringUtf8Coder.of(), sums)))
        .apply("GatherRows", GroupByKey.create())
        .apply("WriteCostsCsv", ParDo.of(new DoFn<KV<String, Iterable<KV<String, List<Long>>>>, Void>() {
          @ProcessElement
          public void process(@Element KV<String, Iterable<KV<String, List<Long>>>> all) throws IOException {
            List<String> rows = new ArrayList<>();
            for (KV<String, List<Long>> kv : all.getValue()) {
              String[] key = kv.getKey().split(SEP, 2);
              List<Long> v = kv.getValue();
              rows.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%s,%s,%d", key[0], key[1], v.get(0),
                  v.get(1), v.get(2), v.get(3), java.math.BigDecimal.valueOf(v.get(4), 6).toPlainString(),
                  java.math.BigDecimal.valueOf(v.get(5), 6).toPlainString(), v.get(6)));
            }
            rows.sort(null);
            StringBuilder csv = new StringBuilder(HEADER).append('\n');
            rows.forEach(r -> csv.append(r).append('\n'));
            WriteStudyLayout.write(directory, "tables/costs.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
          }
        }));
    return PDone.in(tuples.getPipeline());
  }

  /**
   * Element-wise sums of the seven counts. A CombineFn with a fixed-size accumulator, not a function
   * over the values: Beam buffers a function's inputs, which cost the DirectRunner seconds per table.
   */
  static final class SumFn extends Combine.CombineFn<List<Long>, long[], List<Long>> {
    @Override
    public long[] createAccumulator() {
      return new long[7];
    }

    @Override
    public long[] addInput(long[] acc, List<Long> v) {
      for (int i = 0; i < acc.length; i++) {
        acc[i] += v.get(i);
      }
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] sum = createAccumulator();
      for (long[] a : accs) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += a[i];
        }
      }
      return sum;
    }

    @Override
    public List<Long> extractOutput(long[] acc) {
      return List.of(acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6]);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<long[]> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<List<Long>> input) {
      return org.apache.beam.sdk.coders.SerializableCoder.of(long[].class);
    }
  }
}
