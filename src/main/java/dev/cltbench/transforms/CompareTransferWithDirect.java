package dev.cltbench.transforms;

import dev.cltbench.report.PowerRow;
import dev.cltbench.report.SignificanceRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.stats.PairedComparison;
import dev.cltbench.stats.PowerAnalysis;
import dev.cltbench.stats.Seeds;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.TupleKey;
import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Pairs every transfer-condition response with the same model's response to the same question under the
 * direct condition it is compared with, and tests the paired differences of total scores overall, per
 * family and per model: mean difference in percentage points, a percentile bootstrap CI clustered by
 * question and the p-value of the pipeline file's paired test (sign-flip permutation of the mean, or
 * Wilcoxon signed-rank), and what the comparison could detect (the power table).
 * Holm's adjustment across the whole table happens where all rows meet.
 */
public final class CompareTransferWithDirect
    extends PTransform<PCollection<EvaluatedResponse>, PCollection<TableRow>> {
  private final PipelineDefinition definition;
  private final StudyOrder order;

  public CompareTransferWithDirect(PipelineDefinition definition, StudyOrder order) {
    super("CompareTransferWithDirect");
    this.definition = definition;
    this.order = order;
  }

  @Override
  public PCollection<TableRow> expand(PCollection<EvaluatedResponse> responses) {
    return responses
        .apply("KeyByPair", ParDo.of(new KeyByPairFn(definition, Shards.of(responses.getPipeline().getOptions()))))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(PairBlock.coder(), StringUtf8Coder.of())))
        .apply("GroupPairsByShard", GroupByKey.create())
        .apply("DiffToScopes", ParDo.of(new DiffToScopesFn(definition)))
        .setCoder(ClusterByQuestion.inputCoder(Comparison.coder()))
        .apply(ClusterByQuestion.ofPairs("ClusterDiffsByQuestion", Comparison.coder()))
        .apply("TestScopes", ParDo.of(new TestFn(definition, order)))
        .setCoder(TableRow.coder());
  }

  /**
   * Emits (treatment, control, model, block of question ids) -> "t:question:total" or
   * "c:question:total" under the block's shard ({@link Shards}); pairs are matched by question inside
   * the block.
   */
  static final class KeyByPairFn extends DoFn<EvaluatedResponse, KV<Integer, KV<PairBlock, String>>> {
    private final PipelineDefinition definition;
    private final Shards.Of<PairBlock> shards;

    KeyByPairFn(PipelineDefinition definition, int shards) {
      this.definition = definition;
      this.shards = new Shards.Of<>(PairBlock.coder(), shards);
    }

    @ProcessElement
    public void process(@Element EvaluatedResponse r, OutputReceiver<KV<Integer, KV<PairBlock, String>>> out) {
      for (PipelineDefinition.Condition c : definition.conditions()) {
        if (!c.isTransfer()) {
          continue;
        }
        PairBlock key = new PairBlock(c.id(), c.compareWith(), r.model(), r.questionId() / TupleKey.BLOCK);
        String side = r.condition().equals(c.id()) ? "t:" : r.condition().equals(c.compareWith()) ? "c:" : null;
        if (side != null) {
          out.output(KV.of(shards.of(key), KV.of(key, side + r.questionId() + ":" + r.total())));
        }
      }
    }
  }

  /**
   * One difference per complete pair of the block, to the overall, family and model scopes, keyed by
   * question too: every model answers every question, so the scopes that pool models are clustered.
   */
  static final class DiffToScopesFn
      extends DoFn<KV<Integer, Iterable<KV<PairBlock, String>>>, KV<KV<Comparison, Integer>, Integer>> {
    private final PipelineDefinition definition;
    private final Counter unpaired = Metrics.counter("report", "transfer_pairs_incomplete");

    DiffToScopesFn(PipelineDefinition definition) {
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<PairBlock, String>>> shard,
        OutputReceiver<KV<KV<Comparison, Integer>, Integer>> out) {
      // block -> question id -> {treatment total, control total}; null where that side is missing
      Map<PairBlock, TreeMap<Integer, Integer[]>> blocks = new HashMap<>();
      for (KV<PairBlock, String> kv : shard.getValue()) {
        String[] f = kv.getValue().split(":", 3);
        Integer[] pair = blocks.computeIfAbsent(kv.getKey(), b -> new TreeMap<>())
            .computeIfAbsent(Integer.parseInt(f[1]), q -> new Integer[2]);
        pair[f[0].equals("t") ? 0 : 1] = Integer.parseInt(f[2]);
      }
      blocks.forEach((k, pairs) -> diff(k, pairs, out));
    }

    private void diff(PairBlock k, TreeMap<Integer, Integer[]> pairs,
        OutputReceiver<KV<KV<Comparison, Integer>, Integer>> out) {
      String model = k.model();
      String family = definition.model(model).orElseThrow().family();
      Comparison overall = new Comparison("overall", "all", k.treatment(), k.control());
      Comparison ofFamily = new Comparison("family", family, k.treatment(), k.control());
      Comparison ofModel = new Comparison("model", model, k.treatment(), k.control());
      for (java.util.Map.Entry<Integer, Integer[]> e : pairs.entrySet()) {
        Integer[] pair = e.getValue();
        int q = e.getKey();
        if (pair[0] == null || pair[1] == null) {
          // Both sides come from one study whose grades joined completely, so this only happens when a
          // question is missing from one condition; the pairs column shows the shortfall.
          unpaired.inc();
          continue;
        }
        int diff = pair[0] - pair[1];
        out.output(KV.of(ClusterByQuestion.key(overall, q), diff));
        out.output(KV.of(ClusterByQuestion.key(ofFamily, q), diff));
        out.output(KV.of(ClusterByQuestion.key(ofModel, q), diff));
      }
    }
  }

  /** The power the power table is computed for. */
  static final double POWER = 0.8;

  /** Questions needed to detect {@code pp}, or null when there is no spread to size a study by. */
  private static Long questions(PowerAnalysis.Result pw, double pp) {
    long n = pw.questionsFor(pp);
    return n < 0 ? null : n;
  }

  /** The significance row and the power row of one scope. */
  static final class TestFn extends DoFn<KV<Comparison, ClusterHistogram>, TableRow> {
    private final PipelineDefinition definition;
    private final StudyOrder order;

    TestFn(PipelineDefinition definition, StudyOrder order) {
      this.definition = definition;
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<Comparison, ClusterHistogram> scope, OutputReceiver<TableRow> out) {
      String dimension = scope.getKey().scope();
      String group = scope.getKey().group();
      String treatment = scope.getKey().treatment();
      String control = scope.getKey().control();
      String name = dimension.equals("overall") ? "overall" : dimension + ":" + group;
      // Tested in rubric points (integers, so the sign-flip test is exact), reported in percentage points.
      double scale = 100.0 / Rubrics.scaledMaxTotal(definition);
      PipelineDefinition.StatisticsSettings st = definition.statistics();
      PairedComparison.Result r = PairedComparison.compare(scope.getValue(), scale, st.confidence(),
          st.bootstrapResamples(), Seeds.forScope(st.seed(), name + ":" + treatment + ":" + control),
          PairedComparison.Test.parse(st.testOrDefault()));
      String sort = order.group(dimension, group) + "/" + order.condition(treatment);
      // p_adjusted: Holm across the whole table, once all rows are together
      out.output(SignificanceRow.SCHEMA.row(new SignificanceRow(name, treatment, control, r.n(),
          r.meanDifference(), r.ciLower(), r.ciUpper(), r.pValue(), null), sort));
      PowerAnalysis.Result pw = PowerAnalysis.of(scope.getValue(), scale,
          java.math.BigDecimal.ONE.subtract(java.math.BigDecimal.valueOf(st.confidence())).doubleValue(), POWER);
      // -1: no spread between questions to size a study by (fewer than two): an empty cell, not a count.
      // alpha_strictest and mde_strictest_pp need the number of comparisons: filled where rows meet.
      out.output(PowerRow.SCHEMA.row(new PowerRow(name, treatment, control, pw.questions(), pw.pairs(),
          pw.sdPair(), pw.sdQuestion(), pw.designEffect(), pw.alpha(), pw.mde(), questions(pw, 2),
          questions(pw, 5), null, null), sort));
    }
  }

  /**
   * The responses of one model to one block of questions ({@link TupleKey#BLOCK}) under a transfer
   * condition and the direct condition it is compared with.
   */
  record PairBlock(String treatment, String control, String model, int block) {
    /** Deterministic, so a GroupByKey may key by it. */
    static Coder<PairBlock> coder() {
      return PairBlockCoder.INSTANCE;
    }
  }

  private static final class PairBlockCoder extends AtomicCoder<PairBlock> {
    static final PairBlockCoder INSTANCE = new PairBlockCoder();

    @Override
    public void encode(PairBlock k, OutputStream out) throws IOException {
      Wire.string(k.treatment(), out);
      Wire.string(k.control(), out);
      Wire.string(k.model(), out);
      Wire.integer(k.block(), out);
    }

    @Override
    public PairBlock decode(InputStream in) throws IOException {
      return new PairBlock(Wire.string(in), Wire.string(in), Wire.string(in), Wire.integer(in));
    }

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }

  /**
   * One tested comparison: its scope ({@code overall}, {@code family}, {@code model}), the group in
   * the scope ({@code all} overall) and the treatment and control conditions.
   */
  record Comparison(String scope, String group, String treatment, String control) {
    /** Deterministic, so a GroupByKey may key by it. */
    static Coder<Comparison> coder() {
      return ComparisonCoder.INSTANCE;
    }
  }

  private static final class ComparisonCoder extends AtomicCoder<Comparison> {
    static final ComparisonCoder INSTANCE = new ComparisonCoder();

    @Override
    public void encode(Comparison k, OutputStream out) throws IOException {
      Wire.string(k.scope(), out);
      Wire.string(k.group(), out);
      Wire.string(k.treatment(), out);
      Wire.string(k.control(), out);
    }

    @Override
    public Comparison decode(InputStream in) throws IOException {
      return new Comparison(Wire.string(in), Wire.string(in), Wire.string(in), Wire.string(in));
    }

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
