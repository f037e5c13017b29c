package dev.cltbench.transforms;

import dev.cltbench.report.LanguageRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.study.CellKey;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.LanguageFacts;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The language table: per model and condition, the share of evaluated texts identified as the
 * expected language, the share identified as another language, and the most frequent other language.
 * Counts per detected language combine associatively, so groups never hold their responses.
 */
public final class SummarizeLanguages extends PTransform<PCollection<EvaluatedResponse>, PCollection<TableRow>> {
  private static final String EXPECTED = "=expected";
  private static final String RESPONSES = "=responses";
  private static final String UNDETERMINED = "=und";

  private final StudyOrder order;

  public SummarizeLanguages(StudyOrder order) {
    super("SummarizeLanguages");
    this.order = order;
  }

  @Override
  public PCollection<TableRow> expand(PCollection<EvaluatedResponse> responses) {
    return responses
        .apply(new CombineGroups<>("CountLanguages", new OutcomeOfResponse(), new CountOutcomesFn(),
            CellKey.coder(), MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of()),
            MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply("ToLanguageRows", ParDo.of(new DoFn<KV<CellKey, Map<String, Long>>, TableRow>() {
          @ProcessElement
          public void process(@Element KV<CellKey, Map<String, Long>> g, OutputReceiver<TableRow> out) {
            CellKey k = g.getKey();
            Map<String, Long> c = g.getValue();
            long n = c.getOrDefault(RESPONSES, 0L);
            long expected = c.getOrDefault(EXPECTED, 0L);
            long wrong = 0;
            String top = null;
            long topCount = 0;
            // Sorted here: MapCoder decodes into a HashMap, so a map that crossed a shuffle (Flink's
            // DataStream translation encodes it) lost the accumulator's order.
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(c).entrySet()) {
              if (e.getKey().startsWith("=")) {
                continue;
              }
              wrong += e.getValue();
              // Most frequent wrong language; ties go to the smaller code (the map is sorted).
              if (e.getValue() > topCount) {
                top = e.getKey();
                topCount = e.getValue();
              }
            }
            out.output(LanguageRow.SCHEMA.row(new LanguageRow(k.model(), k.condition(), n, expected * 100.0 / n,
                wrong * 100.0 / n, top), order.model(k.model()) + "/" + order.condition(k.condition())));
          }
        }))
        .setCoder(TableRow.coder());
  }

  /** A response's language outcome, under its model and condition (none without language facts). */
  static final class OutcomeOfResponse implements CombineGroups.Groups<EvaluatedResponse, CellKey, String> {
    @Override
    public void of(EvaluatedResponse r, CombineGroups.Sink<CellKey, String> out) {
      LanguageFacts f = r.languageFacts();
      if (f == null) {
        return;
      }
      out.add(new CellKey(r.condition(), r.model()),
          f.detected().equals(f.expected()) ? EXPECTED : f.wrongLanguage() ? f.detected() : UNDETERMINED);
    }
  }

  /** Counts of each outcome per group, and the group's size; small maps that merge associatively. */
  static final class CountOutcomesFn extends Combine.CombineFn<String, Map<String, Long>, Map<String, Long>> {
    @Override
    public Map<String, Long> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public Map<String, Long> addInput(Map<String, Long> acc, String outcome) {
      acc.merge(RESPONSES, 1L, Long::sum);
      if (!outcome.equals(UNDETERMINED)) {
        acc.merge(outcome, 1L, Long::sum);
      }
      return acc;
    }

    @Override
    public Map<String, Long> mergeAccumulators(Iterable<Map<String, Long>> accs) {
      Map<String, Long> out = new TreeMap<>();
      for (Map<String, Long> m : accs) {
        m.forEach((k, v) -> out.merge(k, v, Long::sum));
      }
      return out;
    }

    @Override
    public Map<String, Long> extractOutput(Map<String, Long> acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Map<String, Long>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<String> input) {
      return MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    }
  }
}
