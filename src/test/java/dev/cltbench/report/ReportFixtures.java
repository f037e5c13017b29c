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

  static final List<String> CRITERIA = List.of("accuracy", "fluency", "completeness");

  /** A score table's row of these grades, its means computed here. */
  static ScoreRow score(String group, String condition, List<Grade> gs, Double delta) {
    double n = gs.size();
    Map<String, Double> pct = new LinkedHashMap<>();
    pct.put("accuracy", gs.stream().mapToDouble(g -> g.accuracy() * 50.0).sum() / n);
    pct.put("fluency", gs.stream().mapToDouble(g -> g.fluency() * 50.0).sum() / n);
    pct.put("completeness", gs.stream().mapToDouble(g -> g.completeness() * 50.0).sum() / n);
    return new ScoreRow(group, condition, gs.size(), gs.stream().mapToDouble(Grade::score).sum() / n, pct,
        gs.stream().mapToDouble(Grade::time).sum() / n, gs.stream().mapToDouble(Grade::words).sum() / n, delta);
  }

  static Map<String, List<Grade>> groupBy(List<Grade> gs, Function<Grade, String> key) {
    Map<String, List<Grade>> out = new LinkedHashMap<>();
    for (Grade g : gs) {
      out.computeIfAbsent(key.apply(g), k -> new ArrayList<>()).add(g);
    }
    return out;
  }

  /** All contract tables (language and judge_agreement too, unless {@code minimal}). */
  static List<Table> tables(boolean minimal) throws IOException {
    List<Grade> all = grades();
    List<Table> out = new ArrayList<>();

    List<ScoreRow> rows = new ArrayList<>();
    groupBy(all, Grade::condition).forEach((c, gs) -> rows.add(score("all", c, gs, null)));
    out.add(ScoreRow.Kind.CONDITIONS.schema(CRITERIA).table(rows));

    out.add(grouped(all, ScoreRow.Kind.FAMILIES, Grade::family));
    out.add(grouped(all, ScoreRow.Kind.MODELS, Grade::model));

    List<ScoreRow> categories = new ArrayList<>();
    Map<String, List<Grade>> byCat = groupBy(all, g -> g.category() + "\u0000" + g.condition());
    List<String> keys = new ArrayList<>(byCat.keySet());
    keys.sort(null);
    for (String k : keys) {
      String[] p = k.split("\u0000");
      categories.add(score(p[0], p[1], byCat.get(k), null));
    }
    out.add(ScoreRow.Kind.CATEGORIES.schema(CRITERIA).table(categories));

    out.add(SignificanceRow.SCHEMA.table(List.of(
        new SignificanceRow("overall", "C3", "C2", 16, 3.1, -7.3, 12.5, 0.7031, 1.0),
        new SignificanceRow("overall", "C5", "C4", 16, -3.1, -14.6, 8.3, 0.7578, 1.0),
        new SignificanceRow("family:english-first", "C3", "C2", 8, -12.5, -20.8, -6.3, 0.0625, 0.625),
        new SignificanceRow("family:multilingual", "C3", "C2", 8, 18.8, 4.2, 33.3, 0.0938, 0.75),
        new SignificanceRow("family:multilingual", "C5", "C4", 8, 0.0, -20.8, 20.8, 1.0, 1.0),
        new SignificanceRow("model:kestrel_en", "C3", "C2", 8, -12.5, -20.8, -6.3, 0.0021, 0.0168),
        new SignificanceRow("model:argali_multi", "C3", "C2", 8, 18.8, 4.2, 33.3, 0.0039, 0.0273),
        new SignificanceRow("model:argali_multi", "C5", "C4", 8, 0.0, -20.8, 20.8, 1.0, 1.0))));

    out.add(intervals(all));
    out.add(times(all));

    if (!minimal) {
      out.add(criterionIntervals(all));
      out.add(LanguageRow.SCHEMA.table(List.of(
          new LanguageRow("argali_multi", "C2", 8, 75.0, 25.0, "кыргызча (kir)"),
          new LanguageRow("argali_multi", "C4", 8, 87.5, 12.5, "русский (rus)"),
          new LanguageRow("kestrel_en", "C4", 8, 87.5, 12.5, "eng"),
          new LanguageRow("kestrel_en", "C2", 8, 100.0, 0.0, null))));
      out.add(JudgeAgreementRow.SCHEMA.table(List.of(
          new JudgeAgreementRow("accuracy", "judge_a", "judge_b", 80, 81.3, 0.7134, 0.7021),
          new JudgeAgreementRow("fluency", "judge_a", "judge_b", 80, 92.5, 0.8421, 0.8377),
          new JudgeAgreementRow("completeness", "judge_a", "judge_b", 80, 77.5, 0.6502, 0.6488))));
    }
    return out;
  }

  private static Table grouped(List<Grade> all, ScoreRow.Kind kind, Function<Grade, String> key) {
    Map<String, List<Grade>> by = groupBy(all, g -> key.apply(g) + "\u0000" + g.condition());
    List<ScoreRow> rows = new ArrayList<>();
    for (String group : new java.util.LinkedHashSet<>(all.stream().map(key).toList())) {
      for (String c : CONDITION_DIRS.keySet()) {
        List<Grade> gs = by.get(group + "\u0000" + c);
        Double delta = null;
        if (c.equals("C3") || c.equals("C5")) {
          String direct = c.equals("C3") ? "C2" : "C4";
          delta = score(group, c, gs, null).scorePct() - score(group, direct, by.get(group + "\u0000" + direct), null)
              .scorePct();
        }
        rows.add(score(group, c, gs, delta));
      }
    }
    return kind.schema(CRITERIA).table(rows);
  }

  /** Percentile bootstrap (1,000 resamples, fixed seed) of the mean score per group. */
  private static Table intervals(List<Grade> all) {
    UniformRandomProvider rng = RandomSource.SPLIT_MIX_64.create(20261122L);
    List<IntervalRow> rows = new ArrayList<>();
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
          rows.add(new IntervalRow(scope, group, c, s.length, mean, boot[24], boot[974]));
        }
      }
    }
    return IntervalRow.SCHEMA.table(rows);
  }

  /** Accuracy and fluency per condition and per family x condition, with a small seeded bootstrap. */
  private static Table criterionIntervals(List<Grade> all) {
    UniformRandomProvider rng = RandomSource.SPLIT_MIX_64.create(20261203L);
    List<CriterionIntervalRow> rows = new ArrayList<>();
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
            rows.add(new CriterionIntervalRow(scope, group, c, criterion, s.length, mean, boot[24], boot[974]));
          }
        }
      }
    }
    return CriterionIntervalRow.SCHEMA.table(rows);
  }

  /** Mean, median and quartiles (type 7: linear between order statistics) of response time per family. */
  private static Table times(List<Grade> all) {
    List<TimesRow> rows = new ArrayList<>();
    for (String f : new java.util.LinkedHashSet<>(all.stream().map(Grade::family).toList())) {
      for (String c : CONDITION_DIRS.keySet()) {
        double[] t = all.stream().filter(g -> g.family().equals(f) && g.condition().equals(c))
            .mapToDouble(Grade::time).sorted().toArray();
        rows.add(new TimesRow("family", f, c, t.length, Arrays.stream(t).average().orElseThrow(),
            type7(t, 0.5), type7(t, 0.25), type7(t, 0.75), t[t.length - 1]));
      }
    }
    return TimesRow.SCHEMA.table(rows);
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
