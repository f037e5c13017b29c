package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import dev.cltbench.report.JudgeAgreementRow;
import dev.cltbench.report.TableRow;
import dev.cltbench.stats.Agreement;
import dev.cltbench.study.PipelineDefinition;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three raters over the fixture study's grades: its judge, an identical copy, and a perturbed copy (some fluency grades lowered). The pipeline's kappa and exact agreement must equal the
 * test's own computation from the CSVs, and identical raters must agree perfectly.
 */
class JudgeAgreementTest {
  @TempDir Path tmp;

  private static final CSVFormat HEADED = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();

  @Test
  void agreementOfThreeRatersOnTheFixturesGrades() throws Exception {
    Path study = StudyData.fixture();
    PipelineDefinition def = PipelineDefinition.read(StudyData.fixturePipeline());
    Map<String, int[]> recorded = new HashMap<>();
    Map<String, int[]> perturbed = new HashMap<>();
    try (var files = Files.list(study.resolve("grades"))) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        Files.createDirectories(tmp.resolve("judges/recorded/grades"));
        Files.createDirectories(tmp.resolve("judges/copy/grades"));
        Files.createDirectories(tmp.resolve("judges/perturbed/grades"));
        Files.copy(f, tmp.resolve("judges/recorded/grades/" + name));
        Files.copy(f, tmp.resolve("judges/copy/grades/" + name));
        StringWriter out = new StringWriter();
        try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8);
            CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
          var parser = HEADED.parse(in);
          p.printRecord(parser.getHeaderNames());
          for (CSVRecord r : parser) {
            int a = Integer.parseInt(r.get("accuracy"));
            int fl = Integer.parseInt(r.get("fluency"));
            int c = Integer.parseInt(r.get("completeness"));
            String key = name + "|" + r.get("model") + "|" + r.get("question_id");
            recorded.put(key, new int[] {a, fl, c, a + fl + c});
            // Every third question: the perturbed judge is one step harsher on fluency.
            int fl2 = Integer.parseInt(r.get("question_id")) % 3 == 0 ? Math.max(0, fl - 1) : fl;
            perturbed.put(key, new int[] {a, fl2, c, a + fl2 + c});
            List<String> cells = new ArrayList<>(r.toList());
            cells.set(parser.getHeaderNames().indexOf("fluency"), String.valueOf(fl2));
            cells.set(parser.getHeaderNames().indexOf("total"), String.valueOf(a + fl2 + c));
            p.printRecord(cells);
          }
        }
        Files.writeString(tmp.resolve("judges/perturbed/grades/" + name), out.toString(), StandardCharsets.UTF_8);
      }
    }
    // One grade per recorded response.
    int n = recorded.size();
    assertEquals(StudyData.responses(study), n);
    List<String> raters = JudgeAgreement.raters(tmp.toString());
    assertEquals(List.of("copy", "perturbed", "recorded"), raters);

    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<TableRow> rows = pipeline.apply(new JudgeAgreement(tmp.toString(), def, raters));
    String[] criteria = {"accuracy", "fluency", "completeness", "total"};
    int[] max = {2, 2, 2, 6};
    PAssert.that(rows).satisfies(all -> {
      Map<String, JudgeAgreementRow> byKey = new HashMap<>();
      for (TableRow t : all) {
        JudgeAgreementRow r = JudgeAgreementRow.SCHEMA.record(t);
        byKey.put(r.criterion() + "|" + r.raterA() + "|" + r.raterB(), r);
      }
      assertEquals(4 * 4, byKey.size(), "3 pairs + 'all' per criterion");
      for (int c = 0; c < 4; c++) {
        JudgeAgreementRow same = byKey.get(criteria[c] + "|copy|recorded");
        assertEquals(n, same.units());
        assertEquals(100.0, same.exactAgreementPct(), 1e-12);
        assertEquals(1.0, same.quadraticKappa(), 1e-9);
        assertEquals(1.0, same.krippendorffAlphaOrdinal(), 1e-9);
        JudgeAgreementRow off = byKey.get(criteria[c] + "|perturbed|recorded");
        int[] x = new int[n];
        int[] y = new int[n];
        int i = 0;
        for (var e : recorded.entrySet()) {
          x[i] = perturbed.get(e.getKey())[c];
          y[i] = e.getValue()[c];
          i++;
        }
        assertEquals(exactPct(x, y), off.exactAgreementPct(), 1e-9, criteria[c]);
        assertEquals(kappa(x, y, 0, max[c]), off.quadraticKappa(), 1e-9, criteria[c]);
        // Alpha from counted patterns equals DKPro's over every unit, for the pair and for all three.
        double[] dx = java.util.Arrays.stream(x).asDoubleStream().toArray();
        double[] dy = java.util.Arrays.stream(y).asDoubleStream().toArray();
        Double pairAlpha = off.krippendorffAlphaOrdinal();
        double dkPair = Agreement.krippendorffAlpha(new double[][] {dx, dy}, Agreement.Metric.ORDINAL);
        assertEquals(dkPair, pairAlpha == null ? Double.NaN : pairAlpha, 1e-9, criteria[c]);
        Double allAlpha = byKey.get(criteria[c] + "|all|").krippendorffAlphaOrdinal();
        assertEquals(Agreement.krippendorffAlpha(new double[][] {dy, dx, dy}, Agreement.Metric.ORDINAL),
            allAlpha, 1e-9, criteria[c]);
        if (c == 0 || c == 2) {
          assertEquals(1.0, off.quadraticKappa(), 1e-9, "unchanged criterion agrees fully");
        } else {
          assertTrue(off.quadraticKappa() < 1.0 && off.quadraticKappa() > 0.5, "perturbed " + criteria[c]);
          assertTrue(off.krippendorffAlphaOrdinal() < 1.0, "alpha sees the disagreement");
        }
        JudgeAgreementRow overall = byKey.get(criteria[c] + "|all|");
        assertNull(overall.quadraticKappa(), "kappa is pairwise only");
        assertNotNull(overall.krippendorffAlphaOrdinal());
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  static double exactPct(int[] x, int[] y) {
    int same = 0;
    for (int i = 0; i < x.length; i++) {
      same += x[i] == y[i] ? 1 : 0;
    }
    return 100.0 * same / x.length;
  }

  /** Quadratic-weighted kappa from its definition: 1 - sum(w O) / sum(w E), w = (i - j)^2. */
  static double kappa(int[] x, int[] y, int min, int max) {
    int k = max - min + 1;
    double[][] observed = new double[k][k];
    double[] rows = new double[k];
    double[] cols = new double[k];
    for (int i = 0; i < x.length; i++) {
      observed[x[i] - min][y[i] - min]++;
      rows[x[i] - min]++;
      cols[y[i] - min]++;
    }
    double num = 0;
    double den = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double w = (i - j) * (i - j);
        num += w * observed[i][j];
        den += w * rows[i] * cols[j] / x.length;
      }
    }
    return 1 - num / den;
  }
}
