package dev.cltbench.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Report tables for rendering tests and screenshots: the per-group means come from the fixture study's
 * grades (src/test/resources/dev/cltbench/fixture-study/grades), the bootstrap intervals from a small
 * seeded bootstrap here, and the significance, language and agreement rows are plausible hand-set values. Not the project's
 * statistics (the lead's pipeline computes those); only shaped like its output tables.
 */
final class ReportFixtures {
  static final List<String> METRICS = List.of("responses", "score_pct", "accuracy_pct", "fluency_pct",
      "completeness_pct", "mean_time_s", "mean_words");
  static final Map<String, String> FAMILY = new LinkedHashMap<>();
  static final Map<String, String> CONDITION_DIRS = new LinkedHashMap<>();
  static final Map<String, String> CONDITION_LABELS = new LinkedHashMap<>();

  static {
    FAMILY.put("kestrel_en", "english-first");
    FAMILY.put("argali_multi", "multilingual");
    CONDITION_DIRS.put("C1", "C1_english");
    CONDITION_DIRS.put("C2", "C2_kazakh");
    CONDITION_DIRS.put("C3", "C3_kazakh_transfer");
    CONDITION_DIRS.put("C4", "C4_mongolian");
    CONDITION_DIRS.put("C5", "C5_mongolian_transfer");
    CONDITION_LABELS.put("C1", "English direct");
    CONDITION_LABELS.put("C2", "Kazakh direct");
    CONDITION_LABELS.put("C3", "Kazakh self-transfer");
    CONDITION_LABELS.put("C4", "Mongolian direct");
    CONDITION_LABELS.put("C5", "Mongolian self-transfer");
  }

  /** One graded response. */
  record Grade(String condition, String model, String category, int accuracy, int fluency,
      int completeness, double time, double words) {
    String family() {
      return FAMILY.get(model);
    }

    double score() {
      return (accuracy + fluency + completeness) / 6.0 * 100;
    }
  }

  private ReportFixtures() {}

  static Path studyDir() {
    return dev.cltbench.StudyData.fixture();
  }

  static List<Grade> grades() throws IOException {
    List<Grade> out = new ArrayList<>();
    for (Map.Entry<String, String> c : CONDITION_DIRS.entrySet()) {
      Path csv = studyDir().resolve("grades").resolve(c.getValue() + ".csv");
      try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
            .parse(r)) {
          out.add(new Grade(c.getKey(), rec.get("model"), rec.get("category"),
              Integer.parseInt(rec.get("accuracy")), Integer.parseInt(rec.get("fluency")),
              Integer.parseInt(rec.get("completeness")), Double.parseDouble(rec.get("response_time")),
              Double.parseDouble(rec.get("response_length"))));
        }
      }
    }
    return out;
  }

  static List<Object> metrics(List<Grade> gs) {
    double n = gs.size();
    return List.of((long) gs.size(),
        gs.stream().mapToDouble(Grade::score).sum() / n,
        gs.stream().mapToDouble(g -> g.accuracy() * 50.0).sum() / n,
        gs.stream().mapToDouble(g -> g.fluency() * 50.0).sum() / n,
        gs.stream().mapToDouble(g -> g.completeness() * 50.0).sum() / n,
        gs.stream().mapToDouble(Grade::time).sum() / n,
        gs.stream().mapToDouble(Grade::words).sum() / n);
  }

  static Map<String, List<Grade>> groupBy(List<Grade> gs, Function<Grade, String> key) {
    Map<String, List<Grade>> out = new LinkedHashMap<>();
    for (Grade g : gs) {
      out.computeIfAbsent(key.apply(g), k -> new ArrayList<>()).add(g);
    }
    return out;
  }

  static List<String> cols(String... lead) {
    List<String> c = new ArrayList<>(Arrays.asList(lead));
    c.addAll(METRICS);
    return c;
  }

  /** All contract tables (language and judge_agreement too, unless {@code minimal}). */
  static List<Table> tables(boolean minimal) throws IOException {
    List<Grade> all = grades();
    List<Table> out = new ArrayList<>();

    List<List<Object>> rows = new ArrayList<>();
    Map<String, List<Grade>> byCondition = groupBy(all, Grade::condition);
    for (Map.Entry<String, List<Grade>> e : byCondition.entrySet()) {
      List<Object> row = new ArrayList<>(List.of(e.getKey()));
      row.addAll(metrics(e.getValue()));
      rows.add(row);
    }
    out.add(new Table("conditions", "Scores by condition", cols("condition"), rows));

    out.add(grouped(all, "families", "Scores by model family and condition", "family", Grade::family));
    out.add(grouped(all, "models", "Scores by model and condition", "model", Grade::model));

    rows = new ArrayList<>();
    Map<String, List<Grade>> byCat = groupBy(all, g -> g.category() + "\u0000" + g.condition());
    List<String> keys = new ArrayList<>(byCat.keySet());
    keys.sort(null);
    for (String k : keys) {
      String[] p = k.split("\u0000");
      List<Object> row = new ArrayList<>(List.of(p[0], p[1]));
      row.addAll(metrics(byCat.get(k)));
      rows.add(row);
    }
    out.add(new Table("categories", "Scores by question category and condition",
        cols("category", "condition"), rows));

    out.add(new Table("significance", "Transfer vs direct prompting (paired by question)",
        List.of("scope", "treatment", "control", "pairs", "diff_pp", "ci_low_pp", "ci_high_pp", "p_value",
            "p_adjusted"),
        List.of(
            sig("overall", "C3", "C2", 16, 3.1, -7.3, 12.5, 0.7031, 1.0),
            sig("overall", "C5", "C4", 16, -3.1, -14.6, 8.3, 0.7578, 1.0),
            sig("family:english-first", "C3", "C2", 8, -12.5, -20.8, -6.3, 0.0625, 0.625),
            sig("family:multilingual", "C3", "C2", 8, 18.8, 4.2, 33.3, 0.0938, 0.75),
            sig("family:multilingual", "C5", "C4", 8, 0.0, -20.8, 20.8, 1.0, 1.0),
            sig("model:kestrel_en", "C3", "C2", 8, -12.5, -20.8, -6.3, 0.0021, 0.0168),
            sig("model:argali_multi", "C3", "C2", 8, 18.8, 4.2, 33.3, 0.0039, 0.0273),
            sig("model:argali_multi", "C5", "C4", 8, 0.0, -20.8, 20.8, 1.0, 1.0))));

    out.add(intervals(all));
    out.add(times(all));

    if (!minimal) {
      out.add(criterionIntervals(all));
      out.add(new Table("language", "Response language (detected)",
          List.of("model", "condition", "responses", "expected_language_pct", "wrong_language_pct",
              "top_wrong_language"),
          List.of(
              List.of("argali_multi", "C2", 8L, 75.0, 25.0, "кыргызча (kir)"),
              List.of("argali_multi", "C4", 8L, 87.5, 12.5, "русский (rus)"),
              List.of("kestrel_en", "C4", 8L, 87.5, 12.5, "eng"),
              Arrays.asList("kestrel_en", "C2", 8L, 100.0, 0.0, null))));
      out.add(new Table("judge_agreement", "Agreement between judges (re-grade of a 10% sample)",
          List.of("criterion", "items", "exact_agreement_pct", "weighted_kappa"),
          List.of(
              List.of("accuracy", 80L, 81.3, 0.7134),
              List.of("fluency", 80L, 92.5, 0.8421),
              List.of("completeness", 80L, 77.5, 0.6502))));
    }
    return out;
  }

  private static List<Object> sig(String scope, String t, String c, long pairs, double diff, double lo,
      double hi, double p, double padj) {
    return List.of(scope, t, c, pairs, diff, lo, hi, p, padj);
  }

  private static Table grouped(List<Grade> all, String name, String title, String col,
      Function<Grade, String> key) {
    Map<String, List<Grade>> by = groupBy(all, g -> key.apply(g) + "\u0000" + g.condition());
    List<List<Object>> rows = new ArrayList<>();
    for (String group : new java.util.LinkedHashSet<>(all.stream().map(key).toList())) {
      for (String c : CONDITION_DIRS.keySet()) {
        List<Object> row = new ArrayList<>(List.of(group, c));
        row.addAll(metrics(by.get(group + "\u0000" + c)));
        Double delta = null;
        if (c.equals("C3") || c.equals("C5")) {
          String direct = c.equals("C3") ? "C2" : "C4";
          delta = (Double) metrics(by.get(group + "\u0000" + c)).get(1)
              - (Double) metrics(by.get(group + "\u0000" + direct)).get(1);
        }
        row.add(delta);
        rows.add(row);
      }
    }
    List<String> columns = cols(col, "condition");
    columns.add("delta_clt_pp");
    return new Table(name, title, columns, rows);
  }

  /** Percentile bootstrap (1,000 resamples, fixed seed) of the mean score per group. */
  private static Table intervals(List<Grade> all) {
    UniformRandomProvider rng = RandomSource.SPLIT_MIX_64.create(20261122L);
    List<List<Object>> rows = new ArrayList<>();
    for (String scope : List.of("condition", "family", "model")) {
      Function<Grade, String> key = scope.equals("condition") ? g -> "all"
          : scope.equals("family") ? Grade::family : Grade::model;
      for (String group : new java.util.LinkedHashSet<>(all.stream().map(key).toList())) {
        for (String c : CONDITION_DIRS.keySet()) {
          double[] s = all.stream().filter(g -> key.apply(g).equals(group) && g.condition().equals(c))
              .mapToDouble(Grade::score).toArray();
          double mean = Arrays.stream(s).average().orElse(Double.NaN);
          double[] boot = new double[1000];
          for (int b = 0; b < boot.length; b++) {
            double sum = 0;
            for (int i = 0; i < s.length; i++) {
              sum += s[rng.nextInt(s.length)];
            }
            boot[b] = sum / s.length;
          }
          Arrays.sort(boot);
          rows.add(List.of(scope, group, c, (long) s.length, mean, boot[24], boot[974]));
        }
      }
    }
    return new Table("intervals", "Score with 95% bootstrap confidence intervals",
        List.of("scope", "group", "condition", "responses", "score_pct", "ci_low_pct", "ci_high_pct"),
        rows);
  }

  /** Accuracy and fluency per condition and per family x condition, with a small seeded bootstrap. */
  private static Table criterionIntervals(List<Grade> all) {
    UniformRandomProvider rng = RandomSource.SPLIT_MIX_64.create(20261203L);
    List<List<Object>> rows = new ArrayList<>();
    for (String scope : List.of("condition", "family")) {
      Function<Grade, String> key = scope.equals("condition") ? g -> "all" : Grade::family;
      for (String group : new java.util.LinkedHashSet<>(all.stream().map(key).toList())) {
        for (String c : CONDITION_DIRS.keySet()) {
          for (String criterion : List.of("accuracy", "fluency")) {
            double[] s = all.stream().filter(g -> key.apply(g).equals(group) && g.condition().equals(c))
                .mapToDouble(g -> (criterion.equals("accuracy") ? g.accuracy() : g.fluency()) * 50.0).toArray();
            double mean = Arrays.stream(s).average().orElse(Double.NaN);
            double[] boot = new double[1000];
            for (int b = 0; b < boot.length; b++) {
              double sum = 0;
              for (int i = 0; i < s.length; i++) {
                sum += s[rng.nextInt(s.length)];
              }
              boot[b] = sum / s.length;
            }
            Arrays.sort(boot);
            rows.add(List.of(scope, group, c, criterion, (long) s.length, mean, boot[24], boot[974]));
          }
        }
      }
    }
    return new Table("criterion_intervals", "Criterion scores with 95% bootstrap confidence intervals",
        List.of("scope", "group", "condition", "criterion", "responses", "score_pct", "ci_low_pct", "ci_high_pct"),
        rows);
  }

  /** Mean, median and quartiles (type 7: linear between order statistics) of response time per family. */
  private static Table times(List<Grade> all) {
    List<List<Object>> rows = new ArrayList<>();
    for (String f : new java.util.LinkedHashSet<>(all.stream().map(Grade::family).toList())) {
      for (String c : CONDITION_DIRS.keySet()) {
        double[] t = all.stream().filter(g -> g.family().equals(f) && g.condition().equals(c))
            .mapToDouble(Grade::time).sorted().toArray();
        rows.add(List.of("family", f, c, (long) t.length, Arrays.stream(t).average().orElseThrow(),
            type7(t, 0.5), type7(t, 0.25), type7(t, 0.75), t[t.length - 1]));
      }
    }
    return new Table("times", "Response time", List.of("scope", "group", "condition", "responses",
        "mean_time_s", "median_time_s", "q1_time_s", "q3_time_s", "max_time_s"), rows);
  }

  static double type7(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  static ReportContent content(boolean minimal) throws IOException {
    return new ReportContent("Fixture study: Kazakh and Mongolian cross-lingual transfer",
        "2 models x 5 conditions x 8 questions in English, Kazakh and Mongolian, graded by one judge "
            + "on accuracy, fluency and completeness (0..2 each).",
        List.of("Models were emulated: responses replayed from the fixture study, not fresh API calls.",
            "Runner: DirectRunner", "Input: " + studyDir(),
            "Generated by cltbench 0.1.0-SNAPSHOT (report fixture)"),
        tables(minimal), CONDITION_LABELS);
  }
}
