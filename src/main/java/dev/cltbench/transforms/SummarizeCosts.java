package dev.cltbench.transforms;

import dev.cltbench.clients.RunLedger;
import dev.cltbench.report.CostRow;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
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
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.transforms.Flatten;

/**
 * Token and cost accounting of a live run, per model and stage, at the pipeline file's prices:
 * {@code tables/costs.csv}. Every billed call counts, failed ones too (a truncated answer, a refusal,
 * a reply with no text: the provider bills what it reported): {@code calls} are the calls made
 * ({@code failed_calls} of them failed), {@code attempts} the HTTP requests they took. Tokens are as
 * reported: {@code output_tokens} include {@code reasoning_tokens}; {@code billed_*_tokens} are what
 * the provider bills (Cohere's billed_units; elsewhere the tokens), and costs are billed tokens x
 * prices. {@code cost_usd} is what this run spent, {@code failed_calls_cost_usd} the part of it spent
 * on failed calls; {@code study_cost_usd} what the whole study cost, cached calls at the tokens
 * recorded when they were made, so a study resumed over several runs still shows its full cost.
 * Answers read from a recorded study ({@code grade}) were no call of this study: they are
 * {@code recorded_answers}, neither calls nor cached calls. Sums combine per key, so no worker holds
 * the run's calls.
 */
public final class SummarizeCosts extends PTransform<PCollection<EvaluationTuple>, PDone> {
  /**
   * A call's counts travel as a list of longs in {@link CostRow}'s column order after model and stage
   * (fixed-size, so the sums combine without buffering): these are their positions.
   */
  static final int CALLS = 0;
  static final int CACHED = 1;
  static final int FAILED = 2;
  static final int ATTEMPTS = 3;
  static final int INPUT = 4;
  static final int OUTPUT = 5;
  static final int REASONING = 6;
  static final int BILLED_INPUT = 7;
  static final int BILLED_OUTPUT = 8;
  static final int COST = 9;
  static final int FAILED_COST = 10;
  static final int STUDY_COST = 11;
  static final int RECORDED = 12;
  private static final int COUNTS = 13;

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
    KvCoder<ModelStage, List<Long>> row = KvCoder.of(ModelStage.coder(), sums);
    KvCoder<KV<String, String>, KV<String, KV<KV<String, String>, List<Long>>>> shared = KvCoder.of(
        KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()), KvCoder.of(StringUtf8Coder.of(),
            KvCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()), sums)));
    PCollectionTuple costs = tuples.apply("CallCosts", ParDo.of(new CallCostsFn(definition, recorded))
        .withOutputTags(ROWS, TupleTagList.of(ANSWERED)));
    PCollection<KV<ModelStage, List<Long>>> answered = costs.get(ANSWERED).setCoder(shared)
        .apply("GroupIdenticalCalls", GroupByKey.create())
        .apply("AttributeIdenticalCalls", ParDo.of(new AttributeFn()))
        .setCoder(row);
    PCollectionList.of(costs.get(ROWS).setCoder(row)).and(answered)
        .apply("AllCallCosts", Flatten.pCollections())
        .setCoder(row)
        .apply("SumPerModelStage", Combine.perKey(new SumFn()))
        .setCoder(KvCoder.of(ModelStage.coder(), sums))
        .apply("OneTable", WithKeys.of("costs")).setCoder(KvCoder.of(StringUtf8Coder.of(),
            KvCoder.of(ModelStage.coder(), sums)))
        .apply("GatherRows", GroupByKey.create())
        .apply("WriteCostsCsv", ParDo.of(new DoFn<KV<String, Iterable<KV<ModelStage, List<Long>>>>, Void>() {
          @ProcessElement
          public void process(@Element KV<String, Iterable<KV<ModelStage, List<Long>>>> all) throws IOException {
            List<CostRow> rows = new ArrayList<>();
            for (KV<ModelStage, List<Long>> kv : all.getValue()) {
              rows.add(row(kv.getKey(), kv.getValue()));
            }
            WriteStudyLayout.write(directory, "tables/costs.csv", CostRow.csv(rows).getBytes(StandardCharsets.UTF_8));
          }
        }));
    return PDone.in(tuples.getPipeline());
  }

  /** The summed counts of one model and stage as the table's row. */
  static CostRow row(ModelStage key, List<Long> v) {
    return new CostRow(key.model(), key.stage(), v.get(CALLS), v.get(CACHED), v.get(FAILED), v.get(ATTEMPTS),
        v.get(INPUT), v.get(OUTPUT), v.get(REASONING), v.get(BILLED_INPUT), v.get(BILLED_OUTPUT), v.get(COST),
        v.get(FAILED_COST), v.get(STUDY_COST), v.get(RECORDED));
  }

  private static final TupleTag<KV<ModelStage, List<Long>>> ROWS = new TupleTag<>() {};
  private static final TupleTag<KV<KV<String, String>, KV<String, KV<KV<String, String>, List<Long>>>>> ANSWERED =
      new TupleTag<>() {};

  /**
   * Each call of a tuple as its counts. A call that was answered goes out keyed by its model and a
   * hash of what it asked (model, epoch, prompts), so identical calls of different tuples meet in {@link AttributeFn}.
   */
  static final class CallCostsFn extends DoFn<EvaluationTuple, KV<ModelStage, List<Long>>> {
    private final PipelineDefinition definition;
    private final boolean recorded;

    CallCostsFn(PipelineDefinition definition, boolean recorded) {
      this.definition = definition;
      this.recorded = recorded;
    }

    @ProcessElement
    public void process(@Element EvaluationTuple t, MultiOutputReceiver out) {
      List<EvaluationTuple.Step> calls = new ArrayList<>(t.steps());
      if (t.failure() != null && t.failure().call() != null) {
        calls.add(t.failure().call()); // the call that stopped the tuple, billed as it reported
      }
      for (EvaluationTuple.Step s : calls) {
        ModelSpec spec = definition.anyModel(s.model()).orElseThrow();
        if (recorded && s.stage().equals(RunSteps.ANSWER)) {
          Long[] v = new Long[COUNTS];
          java.util.Arrays.fill(v, 0L);
          v[RECORDED] = 1L;
          out.get(ROWS).output(KV.of(new ModelStage(s.model(), s.stage()), List.of(v)));
          continue;
        }
        boolean made = !s.cached() && (s.failure() == null || s.attempts() > 0);
        boolean failed = made && s.failure() != null;
        long whole = RunLedger.costMicros(spec, s.billedInput(), s.billedOutput());
        long spent = s.cached() ? 0L : whole;
        // CALLS, CACHED, FAILED, ATTEMPTS, INPUT, OUTPUT, REASONING, BILLED_INPUT, BILLED_OUTPUT, COST,
        // FAILED_COST, STUDY_COST, RECORDED
        List<Long> v = List.of(made ? 1L : 0L, s.cached() ? 1L : 0L,
            failed ? 1L : 0L, (long) s.attempts(), s.inputTokens(), s.outputTokens(), s.reasoningTokens(),
            s.billedInput(), s.billedOutput(), spent, s.failure() != null ? spent : 0L, whole, 0L);
        if (s.failure() == null) {
          String call = callKey(s, t.epoch());
          // Grouped by model and the hash's first hex digit (16 groups a model, not one per call:
          // the DirectRunner gives every key of a GroupByKey a bundle of its own), then by call in the group.
          out.get(ANSWERED).output(KV.of(KV.of(s.model(), call.substring(0, 1)),
              KV.of(call, KV.of(KV.of(t.key(), s.stage()), v))));
        } else {
          out.get(ROWS).output(KV.of(new ModelStage(s.model(), s.stage()), v));
        }
      }
    }

    private static String callKey(EvaluationTuple.Step s, int epoch) {
      try {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (String part : new String[] {s.model(), Integer.toString(epoch), s.system() == null ? "" : s.system(),
            s.input()}) {
          byte[] b = part.getBytes(StandardCharsets.UTF_8);
          sha.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array()); // lengths: no two splits collide
          sha.update(b);
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Identical calls of several tuples (C4's translation of a question is the same for every model;
   * C5 asks C4's translation and English answer under other stage names) are one call made and the
   * rest joined or read from the cache, and which tuple asked first is timing. So the calls made, and
   * the attempts they took, are given to the group's tuples in key order, not in the order they ran:
   * the table is the same on every run and runner, and its sums are what was spent.
   */
  static final class AttributeFn extends DoFn<KV<KV<String, String>,
      Iterable<KV<String, KV<KV<String, String>, List<Long>>>>>, KV<ModelStage, List<Long>>> {
    @ProcessElement
    public void process(@Element KV<KV<String, String>, Iterable<KV<String, KV<KV<String, String>, List<Long>>>>> group,
        OutputReceiver<KV<ModelStage, List<Long>>> out) {
      String model = group.getKey().getKey();
      java.util.Map<String, List<KV<KV<String, String>, List<Long>>>> byCall = new java.util.HashMap<>();
      for (KV<String, KV<KV<String, String>, List<Long>>> c : group.getValue()) {
        byCall.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(c.getValue());
      }
      for (List<KV<KV<String, String>, List<Long>>> calls : byCall.values()) {
        calls.sort(java.util.Comparator.<KV<KV<String, String>, List<Long>>, String>comparing(c -> c.getKey().getKey())
            .thenComparing(c -> c.getKey().getValue()));
        long made = 0;
        long attempts = 0;
        for (KV<KV<String, String>, List<Long>> c : calls) {
          made += c.getValue().get(CALLS);
          attempts += c.getValue().get(ATTEMPTS);
        }
        for (int i = 0; i < calls.size(); i++) {
          List<Long> v = new ArrayList<>(calls.get(i).getValue());
          boolean isMade = i < made;
          v.set(CALLS, isMade ? 1L : 0L);
          v.set(CACHED, isMade ? 0L : 1L);
          v.set(ATTEMPTS, i == 0 ? attempts : 0L);
          v.set(COST, isMade ? v.get(STUDY_COST) : 0L);
          out.output(KV.of(new ModelStage(model, calls.get(i).getKey().getValue()), v));
        }
      }
    }
  }

  /**
   * Element-wise sums of the counts. A CombineFn with a fixed-size accumulator, not a function
   * over the values: Beam buffers a function's inputs, which cost the DirectRunner seconds per table.
   */
  static final class SumFn extends Combine.CombineFn<List<Long>, long[], List<Long>> {
    @Override
    public long[] createAccumulator() {
      return new long[COUNTS];
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
      List<Long> out = new ArrayList<>();
      for (long a : acc) {
        out.add(a);
      }
      return out;
    }

    @Override
    public Coder<long[]> getAccumulatorCoder(CoderRegistry registry, Coder<List<Long>> input) {
      return CountsCoder.INSTANCE;
    }
  }

  /** The key of one row of the table: a model and a stage of its calls. */
  record ModelStage(String model, String stage) {
    /** Deterministic, so a GroupByKey may key by it. */
    static Coder<ModelStage> coder() {
      return ModelStageCoder.INSTANCE;
    }
  }

  private static final class ModelStageCoder extends AtomicCoder<ModelStage> {
    static final ModelStageCoder INSTANCE = new ModelStageCoder();

    @Override
    public void encode(ModelStage k, OutputStream out) throws IOException {
      Wire.string(k.model(), out);
      Wire.string(k.stage(), out);
    }

    @Override
    public ModelStage decode(InputStream in) throws IOException {
      return new ModelStage(Wire.string(in), Wire.string(in));
    }

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }

  /** The {@link #COUNTS} sums of {@link SumFn}'s accumulator, as variable-length longs. */
  static final class CountsCoder extends AtomicCoder<long[]> {
    static final CountsCoder INSTANCE = new CountsCoder();

    @Override
    public void encode(long[] counts, OutputStream out) throws IOException {
      Wire.integer(counts.length, out);
      for (long c : counts) {
        Wire.longValue(c, out);
      }
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      long[] counts = new long[Wire.integer(in)];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = Wire.longValue(in);
      }
      return counts;
    }
  }
}
