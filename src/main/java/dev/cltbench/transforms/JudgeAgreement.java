package dev.cltbench.transforms;

import dev.cltbench.report.TableRow;
import dev.cltbench.stats.Agreement;
import dev.cltbench.study.GradeRecord;
import dev.cltbench.study.PipelineDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
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
 * skip. The table holds 4 x 3 integers per unit in one group: small next to the responses themselves.
 */
public final class JudgeAgreement extends PTransform<PBegin, PCollection<TableRow>> {
  public static final String TABLE = "judge_agreement";
  private static final List<String> CRITERIA = List.of("accuracy", "fluency", "completeness", "total");

  private final String study;
  private final PipelineDefinition definition;
  private final List<String> raters;

  public JudgeAgreement(String study, PipelineDefinition definition, List<String> raters) {
    super("JudgeAgreement");
    this.study = study;
    this.definition = definition;
    this.raters = List.copyOf(raters);
  }

  /** The judges with grades under {@code judges/} of a study directory, sorted; none if absent. */
  public static List<String> raters(String study) throws IOException {
    String root = study.endsWith("/") ? study : study + "/";
    MatchResult m = FileSystems.match(root + "judges/*/grades/*.csv", EmptyMatchTreatment.ALLOW);
    TreeSet<String> names = new TreeSet<>();
    if (m.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata md : m.metadata()) {
        String p = md.resourceId().toString();
        String rest = p.substring(p.indexOf("/judges/") + "/judges/".length());
        names.add(rest.substring(0, rest.indexOf('/')));
      }
    }
    return new ArrayList<>(names);
  }

  @Override
  public PCollection<TableRow> expand(PBegin begin) {
    String root = study.endsWith("/") ? study : study + "/";
    PCollectionList<KV<String, KV<String, List<Integer>>>> all = PCollectionList.empty(begin.getPipeline());
    for (String rater : raters) {
      all = all.and(begin
          .apply("ReadGradesOf " + rater, new ReadStudyGrades(root + "judges/" + rater, definition))
          .apply("ScoresOf " + rater, ParDo.of(new ScoresFn(rater)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(),
              KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarIntCoder.of())))));
    }
    return all
        .apply("AllVerdicts", Flatten.pCollections())
        .apply("OneGroup", WithKeys.<String, KV<String, KV<String, List<Integer>>>>of(TABLE)
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(),
            KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarIntCoder.of())))))
        .apply("GatherVerdicts", GroupByKey.create())
        .apply("AgreementRows", ParDo.of(new RowsFn(raters, definition)))
        .setCoder(TableRow.coder());
  }

  static final class ScoresFn extends DoFn<GradeRecord, KV<String, KV<String, List<Integer>>>> {
    private final String rater;

    ScoresFn(String rater) {
      this.rater = rater;
    }

    @ProcessElement
    public void process(@Element GradeRecord g, OutputReceiver<KV<String, KV<String, List<Integer>>>> out) {
      out.output(KV.of(g.key(), KV.of(rater, List.of(g.accuracy(), g.fluency(), g.completeness(), g.total()))));
    }
  }

  static final class RowsFn extends DoFn<KV<String, Iterable<KV<String, KV<String, List<Integer>>>>>, TableRow> {
    private final List<String> raters;
    private final PipelineDefinition definition;

    RowsFn(List<String> raters, PipelineDefinition definition) {
      this.raters = raters;
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<String, KV<String, List<Integer>>>>> group,
        OutputReceiver<TableRow> out) {
      // unit -> rater -> scores; sorted so every runner builds the same matrices.
      Map<String, Map<String, List<Integer>>> units = new TreeMap<>();
      for (KV<String, KV<String, List<Integer>>> v : group.getValue()) {
        units.computeIfAbsent(v.getKey(), k -> new TreeMap<>()).put(v.getValue().getKey(), v.getValue().getValue());
      }
      for (TableRow r : rows(raters, units, definition)) {
        out.output(r);
      }
    }
  }

  /** The table's rows from each unit's scores per rater. */
  static List<TableRow> rows(List<String> raters, Map<String, Map<String, List<Integer>>> units,
      PipelineDefinition definition) {
    List<TableRow> rows = new ArrayList<>();
    if (raters.size() < 2) {
      return rows;
    }
    var criteria = definition.rubric().criteria();
    for (int c = 0; c < CRITERIA.size(); c++) {
      int min;
      int max;
      if (c < 3) {
        String name = CRITERIA.get(c);
        var criterion = criteria.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(
            () -> new IllegalArgumentException("the rubric has no criterion " + name));
        min = criterion.min();
        max = criterion.max();
      } else {
        min = criteria.stream().mapToInt(x -> x.min()).sum();
        max = criteria.stream().mapToInt(x -> x.max()).sum();
      }
      double[][] matrix = new double[raters.size()][units.size()];
      int u = 0;
      for (Map<String, List<Integer>> byRater : units.values()) {
        for (int r = 0; r < raters.size(); r++) {
          List<Integer> s = byRater.get(raters.get(r));
          matrix[r][u] = s == null ? Double.NaN : s.get(c);
        }
        u++;
      }
      for (int a = 0; a < raters.size(); a++) {
        for (int b = a + 1; b < raters.size(); b++) {
          List<Integer> xs = new ArrayList<>();
          List<Integer> ys = new ArrayList<>();
          for (int i = 0; i < units.size(); i++) {
            if (!Double.isNaN(matrix[a][i]) && !Double.isNaN(matrix[b][i])) {
              xs.add((int) matrix[a][i]);
              ys.add((int) matrix[b][i]);
            }
          }
          int[] x = xs.stream().mapToInt(Integer::intValue).toArray();
          int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
          long same = 0;
          for (int i = 0; i < x.length; i++) {
            same += x[i] == y[i] ? 1 : 0;
          }
          Double kappa = x.length == 0 ? null : finite(Agreement.quadraticWeightedKappa(x, y, min, max));
          Double alpha = x.length == 0 ? null
              : finite(Agreement.krippendorffAlpha(new double[][] {matrix[a], matrix[b]}, Agreement.Metric.ORDINAL));
          rows.add(row(c, raters.get(a), raters.get(b), x.length,
              x.length == 0 ? null : 100.0 * same / x.length, kappa, alpha));
        }
      }
      if (raters.size() > 2) {
        int rated = 0;
        int unanimous = 0;
        for (int i = 0; i < units.size(); i++) {
          Double first = null;
          int n = 0;
          boolean all = true;
          for (double[] rater : matrix) {
            if (!Double.isNaN(rater[i])) {
              n++;
              if (first == null) {
                first = rater[i];
              } else if (first != rater[i]) {
                all = false;
              }
            }
          }
          if (n >= 2) {
            rated++;
            unanimous += all ? 1 : 0;
          }
        }
        rows.add(row(c, "all", "", rated, rated == 0 ? null : 100.0 * unanimous / rated, null,
            rated == 0 ? null : finite(Agreement.krippendorffAlpha(matrix, Agreement.Metric.ORDINAL))));
      }
    }
    return rows;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static TableRow row(int criterion, String a, String b, int units, Double exact, Double kappa,
      Double alpha) {
    List<Object> cells = new ArrayList<>();
    cells.add(CRITERIA.get(criterion));
    cells.add(a);
    cells.add(b);
    cells.add((long) units);
    cells.add(exact);
    cells.add(kappa);
    cells.add(alpha);
    String sort = String.format(Locale.ROOT, "%d|%s|%s", criterion, "all".equals(a) ? "~" : a, b);
    return new TableRow(TABLE, sort, cells);
  }
}
