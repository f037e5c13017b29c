package dev.cltbench.transforms;

import dev.cltbench.report.JudgeAgreementRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.stats.Agreement;
import dev.cltbench.study.GradeRecord;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Agreement between the judges whose own grades a study directory keeps under
 * {@code judges/<judge>/grades/} (a live run's panel; with {@code grade}, also the recorded grades):
 * per criterion and for the total, every pair's quadratic-weighted Cohen's kappa, exact agreement and
 * Krippendorff's alpha (ordinal), and alpha over all judges. A unit is one (condition, model, question);
 * a judge whose verdict failed on a unit is missing there, which alpha allows and the pairwise figures
 * skip.
 *
 * <p>The verdicts are gathered per unit (a distributed grouping), each unit becomes one pattern of
 * grades per criterion (one grade or none per judge), and the patterns are counted: the statistics
 * need only those counts, which the grade scale and the number of judges bound (at most 8^3 patterns
 * of totals for three judges) whatever the number of responses, so no worker holds the whole study.
 */
public final class JudgeAgreement extends PTransform<PBegin, PCollection<TableRow>> {
  public static final String TABLE = "judge_agreement";

  private final String study;
  private final PipelineDefinition definition;
  private final List<String> raters;
  private final dev.cltbench.study.StudySubset subset;

  public JudgeAgreement(String study, PipelineDefinition definition, List<String> raters) {
    this(study, definition, raters, dev.cltbench.study.StudySubset.all());
  }

  /** Agreement over the units of {@code subset}; {@code definition} is the whole study's. */
  public JudgeAgreement(String study, PipelineDefinition definition, List<String> raters,
      dev.cltbench.study.StudySubset subset) {
    super("JudgeAgreement");
    this.study = study;
    this.definition = definition;
    this.raters = List.copyOf(raters);
    this.subset = subset;
  }

  /** The judges with grades under {@code judges/} of a study directory, sorted; none if absent. */
  public static List<String> raters(String study) throws IOException {
    return dev.cltbench.study.StudyCodec.judges(study);
  }

  @Override
  public PCollection<TableRow> expand(PBegin begin) {
    String root = study.endsWith("/") ? study : study + "/";
    PCollectionList<KV<String, KV<String, List<Integer>>>> all = PCollectionList.empty(begin.getPipeline());
    for (String rater : raters) {
      all = all.and(begin
          .apply("ReadGradesOf " + rater, new ReadStudyGrades(root + "judges/" + rater, definition, subset))
          .apply("ScoresOf " + rater, ParDo.of(new ScoresFn(rater)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(),
              KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarIntCoder.of())))));
    }
    return all
        .apply("AllVerdicts", Flatten.pCollections())
        .apply("GatherVerdictsByUnit", GroupByKey.create())
        .apply("GradePatternPerCriterion", ParDo.of(new PatternsFn(raters, criteria(definition).size())))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(VarIntCoder.of())))
        .apply("CountPatterns", Count.perElement())
        .apply("OneTable", WithKeys.<String, KV<KV<Integer, List<Integer>>, Long>>of(TABLE)
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(
            KvCoder.of(VarIntCoder.of(), ListCoder.of(VarIntCoder.of())), VarLongCoder.of())))
        .apply("GatherPatternCounts", GroupByKey.create())
        .apply("AgreementRows", ParDo.of(new RowsFn(raters, definition)))
        .setCoder(TableRow.coder());
  }

  /** The rubric's criteria in its order, then the total: the table's criterion column. */
  static List<String> criteria(PipelineDefinition definition) {
    List<String> c = new ArrayList<>(definition.rubric().criterionNames());
    c.add("total");
    return List.copyOf(c);
  }

  /** A grade a judge did not give (its verdict failed on the unit). */
  static final int MISSING = Integer.MIN_VALUE;

  static final class ScoresFn extends DoFn<GradeRecord, KV<String, KV<String, List<Integer>>>> {
    private final String rater;

    ScoresFn(String rater) {
      this.rater = rater;
    }

    @ProcessElement
    public void process(@Element GradeRecord g, OutputReceiver<KV<String, KV<String, List<Integer>>>> out) {
      List<Integer> scores = new ArrayList<>(g.score().values().values());
      scores.add(g.total());
      out.output(KV.of(g.key(), KV.of(rater, List.copyOf(scores))));
    }
  }

  /** One unit's verdicts as, per criterion, the judges' grades in the order of {@code raters}. */
  static final class PatternsFn
      extends DoFn<KV<String, Iterable<KV<String, List<Integer>>>>, KV<Integer, List<Integer>>> {
    private final List<String> raters;
    private final int criteria;

    PatternsFn(List<String> raters, int criteria) {
      this.raters = raters;
      this.criteria = criteria;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<String, List<Integer>>>> unit,
        OutputReceiver<KV<Integer, List<Integer>>> out) {
      List<List<Integer>> byRater = new ArrayList<>();
      raters.forEach(r -> byRater.add(null));
      for (KV<String, List<Integer>> v : unit.getValue()) {
        int r = raters.indexOf(v.getKey());
        if (byRater.get(r) != null) {
          throw new StudyInputException("judges/" + v.getKey() + "/grades", unit.getKey().replace('|', ' '),
              null, "the judge graded this unit twice");
        }
        byRater.set(r, v.getValue());
      }
      for (int c = 0; c < criteria; c++) {
        List<Integer> pattern = new ArrayList<>();
        for (List<Integer> scores : byRater) {
          pattern.add(scores == null ? MISSING : scores.get(c));
        }
        out.output(KV.of(c, pattern));
      }
    }
  }

  static final class RowsFn extends DoFn<KV<String, Iterable<KV<KV<Integer, List<Integer>>, Long>>>, TableRow> {
    private final List<String> raters;
    private final PipelineDefinition definition;

    RowsFn(List<String> raters, PipelineDefinition definition) {
      this.raters = raters;
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<KV<Integer, List<Integer>>, Long>>> group,
        OutputReceiver<TableRow> out) {
      // criterion -> pattern -> units; sorted so every runner sums in the same order.
      List<Map<List<Integer>, Long>> patterns = new ArrayList<>();
      criteria(definition).forEach(c -> patterns.add(new TreeMap<>(PATTERN_ORDER)));
      for (KV<KV<Integer, List<Integer>>, Long> v : group.getValue()) {
        patterns.get(v.getKey().getKey()).merge(v.getKey().getValue(), v.getValue(), Long::sum);
      }
      for (TableRow r : rows(raters, patterns, definition)) {
        out.output(r);
      }
    }
  }

  private static final Comparator<List<Integer>> PATTERN_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = Integer.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  /** The table's rows from each criterion's grade patterns (one grade or MISSING per rater) and
   * how many units show each. */
  static List<TableRow> rows(List<String> raters, List<Map<List<Integer>, Long>> patterns,
      PipelineDefinition definition) {
    List<TableRow> rows = new ArrayList<>();
    if (raters.size() < 2) {
      return rows;
    }
    var rubric = definition.rubric();
    List<String> names = criteria(definition);
    for (int c = 0; c < names.size(); c++) {
      int min;
      int max;
      if (c < rubric.criteria().size()) {
        var criterion = rubric.criteria().get(c);
        min = criterion.min();
        max = criterion.max();
      } else {
        min = rubric.minTotal();
        max = rubric.maxTotal();
      }
      Map<List<Integer>, Long> counted = patterns.get(c);
      for (List<Integer> p : counted.keySet()) {
        for (int g : p) {
          if (g != MISSING && (g < min || g > max)) {
            throw new IllegalArgumentException(names.get(c) + " grade " + g + " outside [" + min + ", " + max + "]");
          }
        }
      }
      for (int a = 0; a < raters.size(); a++) {
        for (int b = a + 1; b < raters.size(); b++) {
          long[][] confusion = new long[max - min + 1][max - min + 1];
          long units = 0;
          long same = 0;
          List<double[]> pairs = new ArrayList<>();
          List<Long> counts = new ArrayList<>();
          for (Map.Entry<List<Integer>, Long> e : counted.entrySet()) {
            int x = e.getKey().get(a);
            int y = e.getKey().get(b);
            if (x != MISSING && y != MISSING) {
              confusion[x - min][y - min] += e.getValue();
              units += e.getValue();
              same += x == y ? e.getValue() : 0;
              pairs.add(new double[] {x, y});
              counts.add(e.getValue());
            }
          }
          Double kappa = units == 0 ? null : finite(Agreement.quadraticWeightedKappa(confusion));
          Double alpha = units == 0 ? null
              : finite(Agreement.krippendorffAlpha(pairs, counts, Agreement.Metric.ORDINAL));
          rows.add(row(names.get(c), c, raters.get(a), raters.get(b), units,
              units == 0 ? null : 100.0 * same / units, kappa, alpha));
        }
      }
      if (raters.size() > 2) {
        long rated = 0;
        long unanimous = 0;
        List<double[]> all = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Map.Entry<List<Integer>, Long> e : counted.entrySet()) {
          double[] p = new double[raters.size()];
          int n = 0;
          Integer first = null;
          boolean agree = true;
          for (int r = 0; r < raters.size(); r++) {
            int g = e.getKey().get(r);
            p[r] = g == MISSING ? Double.NaN : g;
            if (g != MISSING) {
              n++;
              if (first == null) {
                first = g;
              } else if (first != g) {
                agree = false;
              }
            }
          }
          all.add(p);
          counts.add(e.getValue());
          if (n >= 2) {
            rated += e.getValue();
            unanimous += agree ? e.getValue() : 0;
          }
        }
        rows.add(row(names.get(c), c, "all", "", rated, rated == 0 ? null : 100.0 * unanimous / rated, null,
            rated == 0 ? null : finite(Agreement.krippendorffAlpha(all, counts, Agreement.Metric.ORDINAL))));
      }
    }
    return rows;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static TableRow row(String name, int criterion, String a, String b, long units, Double exact, Double kappa,
      Double alpha) {
    // Zero-padded: the rubric order survives a string sort with ten or more criteria.
    String sort = String.format(Locale.ROOT, "%03d|%s|%s", criterion, "all".equals(a) ? "~" : a, b);
    return JudgeAgreementRow.SCHEMA.row(new JudgeAgreementRow(name, a, b, units, exact, kappa, alpha), sort);
  }
}
