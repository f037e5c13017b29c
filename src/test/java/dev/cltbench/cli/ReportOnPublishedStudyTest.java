package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.StudyData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code report} on the published study and checks its tables against values computed here
 * directly from the study's grades CSVs, with the study's own model-family table (data README).
 */
class ReportOnPublishedStudyTest {
  @TempDir static Path tmp;
  static Path out;
  static List<Grade> grades;
  static String stdout;

  /** Families as the study's README gives them (not read from the pipeline file). */
  static final Map<String, String> FAMILY = Map.of(
      "claude_opus_4.5", "english-first", "gpt_5.2", "english-first", "gemini_3_pro", "english-first",
      "grok_4.1", "english-first", "llama_4_maverick", "english-first", "qwen3", "bilingual",
      "deepseek_v3.2", "bilingual", "aya_expanse", "multilingual");
  static final Map<String, String> CONDITION = Map.of("C1_english", "C1", "C2_kazakh", "C2",
      "C3_kazakh_transfer", "C3", "C4_mongolian", "C4", "C5_mongolian_transfer", "C5");

  record Grade(String condition, String model, int question, String category, int acc, int flu,
      int comp, double time, int words) {
    int total() {
      return acc + flu + comp;
    }
  }

  @BeforeAll
  static void runReport() throws Exception {
    out = tmp.resolve("report");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"report", "--pipeline=pipelines/left-behind.json",
        "--study=" + StudyData.study(), "--output=" + out}, new PrintStream(buf, true, "UTF-8"), System.err);
    stdout = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, stdout);
    grades = new ArrayList<>();
    for (var e : CONDITION.entrySet()) {
      try (Reader r = Files.newBufferedReader(StudyData.study().resolve("grades/" + e.getKey() + ".csv"))) {
        for (CSVRecord c : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
          grades.add(new Grade(e.getValue(), c.get("model"), Integer.parseInt(c.get("question_id")),
              c.get("category"), Integer.parseInt(c.get("accuracy")), Integer.parseInt(c.get("fluency")),
              Integer.parseInt(c.get("completeness")), Double.parseDouble(c.get("response_time")),
              Integer.parseInt(c.get("response_length"))));
        }
      }
    }
    assertEquals(2000, grades.size());
  }

  /**
   * The published report in a real browser: filtered to aya_expanse in C2 answering in Kyrgyz, the
   * explorer lists as many responses as the language table gives (responses x wrong_language_pct, its
   * top wrong language Kyrgyz); a heatmap cell lists that cell's 50 responses.
   */
  @Test
  void explorerInABrowserFindsTheLanguageTablesKyrgyzAnswers() throws Exception {
    ExplorerBrowser.requireInstalled();
    Map<String, String> row = table("language").stream()
        .filter(r -> r.get("model").equals("aya_expanse") && r.get("condition").equals("C2"))
        .findFirst().orElseThrow();
    assertEquals("kir", row.get("top_wrong_language"));
    long expected = Math.round(Double.parseDouble(row.get("responses"))
        * Double.parseDouble(row.get("wrong_language_pct")) / 100);
    ExplorerBrowser.Outcome o = ExplorerBrowser.run(out.resolve("report.html"), "aya_expanse", "C2", "kir");
    assertEquals(0, o.exit(), o.output());
    JsonNode result = new ObjectMapper().readTree(o.output().trim());
    assertTrue(result.path("ok").asBoolean(), o.output());
    assertEquals(expected + " responses", result.path("filtered").asText(), o.output());
    assertEquals("50 responses", result.path("heatmap").path("count").asText(), o.output());
  }

  /**
   * The published report in a real browser at 1440x900 and 390x844, every promise of the page
   * (src/test/playwright/report-check.mjs: links from figures, cells and forest rows to exactly their
   * responses, the URL as the explorer's state, layout, numbers, axe-core), counts computed from the
   * embedded responses and the CSV tables; scores in percent of the rubric's maximum, read here from
   * the pipeline file.
   */
  @Test
  void reportPageInABrowserKeepsEveryPromise() throws Exception {
    ExplorerBrowser.requireInstalled();
    int maxTotal = dev.cltbench.study.PipelineDefinition.read(Path.of("pipelines/left-behind.json")).rubric()
        .criteria().stream().mapToInt(c -> c.max()).sum();
    ExplorerBrowser.Outcome o = ExplorerBrowser.reportPage(out.resolve("report.html"), maxTotal);
    assertEquals(0, o.exit(), o.output());
    JsonNode result = new ObjectMapper().readTree(o.output().trim());
    assertTrue(result.path("ok").asBoolean(), o.output());
    // The page has what the checks need: they did not pass by finding nothing to check.
    assertTrue(result.path("checks").size() >= 40, o.output());
  }

  /** Figures as standalone SVG files (well-formed XML with their own namespace) and PDFs, and the judge table. */
  @Test
  void figureFilesAndJudgeDiagnostics() throws Exception {
    List<Path> svgs;
    try (var s = Files.list(out.resolve("figures"))) {
      svgs = s.filter(p -> p.toString().endsWith(".svg")).sorted().toList();
    }
    assertEquals(7, svgs.size(), svgs.toString());
    for (Path svg : svgs) {
      var doc = javax.xml.parsers.DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
          .parse(svg.toFile());
      assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI(), svg.toString());
      // The same figure as a one-page PDF beside it (byte-stability: secondRunGivesByteIdenticalOutputs).
      Path pdf = Path.of(svg.toString().replaceFirst("\\.svg$", ".pdf"));
      try (var d = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
        assertEquals(1, d.getNumberOfPages(), pdf.toString());
        assertTrue(d.getPage(0).getMediaBox().getWidth() > 400, pdf.toString());
      }
    }
    List<Map<String, String>> judges = table("judge_diagnostics");
    assertEquals(1, judges.size());
    Map<String, String> j = judges.get(0);
    assertEquals("claude_sonnet_4.5", j.get("judge"));
    // The published judge shares its provider with one graded model, its sibling.
    assertEquals("claude_opus_4.5", j.get("related_models"));
    assertEquals("", j.get("leniency_pp"), "one judge: no panel to be lenient against");
    double r = Double.parseDouble(j.get("length_r"));
    assertTrue(Double.parseDouble(j.get("length_r_ci_low")) <= r && r <= Double.parseDouble(j.get("length_r_ci_high")));
    assertTrue(Files.readString(out.resolve("report.html")).contains("<section id=\"judges\">"));
    // Not a run's output: no costs or failures, and no trace of their place in the page.
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(!html.contains("<section id=\"run\">") && !html.contains("costs-and-failures"), "run section");
    assertTrue(!Files.exists(out.resolve("tables/failures.csv")));
  }

  static List<Map<String, String>> table(String name) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(out.resolve("tables/" + name + ".csv"))) {
      for (CSVRecord c : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
        rows.add(c.toMap());
      }
    }
    return rows;
  }

  static double d(Map<String, String> row, String col) {
    return Double.parseDouble(row.get(col));
  }

  /** Checks the metric columns of a row against the grades selected by {@code in}. */
  static void checkMetrics(Map<String, String> row, Predicate<Grade> in) {
    List<Grade> g = grades.stream().filter(in).toList();
    double n = g.size();
    assertEquals(g.size(), Integer.parseInt(row.get("responses")), row.toString());
    assertEquals(g.stream().mapToInt(Grade::total).sum() / (n * 6) * 100, d(row, "score_pct"), 1e-9);
    assertEquals(g.stream().mapToInt(Grade::acc).sum() / (n * 2) * 100, d(row, "accuracy_pct"), 1e-9);
    assertEquals(g.stream().mapToInt(Grade::flu).sum() / (n * 2) * 100, d(row, "fluency_pct"), 1e-9);
    assertEquals(g.stream().mapToInt(Grade::comp).sum() / (n * 2) * 100, d(row, "completeness_pct"), 1e-9);
    assertEquals(g.stream().mapToDouble(Grade::time).sum() / n, d(row, "mean_time_s"), 1e-9);
    assertEquals(g.stream().mapToInt(Grade::words).sum() / n, d(row, "mean_words"), 1e-9);
  }

  @Test
  void conditionsTableMatchesTheGrades() throws Exception {
    List<Map<String, String>> rows = table("conditions");
    assertEquals(List.of("C1", "C2", "C3", "C4", "C5"), rows.stream().map(r -> r.get("condition")).toList());
    for (var row : rows) {
      checkMetrics(row, g -> g.condition.equals(row.get("condition")));
    }
  }

  @Test
  void familiesTableMatchesTheGradesWithDeltaClt() throws Exception {
    List<Map<String, String>> rows = table("families");
    assertEquals(15, rows.size());
    for (var row : rows) {
      checkMetrics(row, g -> g.condition.equals(row.get("condition"))
          && FAMILY.get(g.model).equals(row.get("family")));
      String control = Map.of("C3", "C2", "C5", "C4").get(row.get("condition"));
      if (control == null) {
        assertTrue(row.get("delta_clt_pp").isEmpty(), row.toString());
      } else {
        double expected = meanPct(g -> g.condition.equals(row.get("condition")) && FAMILY.get(g.model).equals(row.get("family")))
            - meanPct(g -> g.condition.equals(control) && FAMILY.get(g.model).equals(row.get("family")));
        assertEquals(expected, d(row, "delta_clt_pp"), 1e-9, row.toString());
      }
    }
  }

  static double meanPct(Predicate<Grade> in) {
    return grades.stream().filter(in).mapToInt(Grade::total).average().orElseThrow() / 6 * 100;
  }

  @Test
  void modelsAndCategoriesTablesMatchTheGrades() throws Exception {
    List<Map<String, String>> models = table("models");
    assertEquals(40, models.size());
    for (var row : models) {
      checkMetrics(row, g -> g.condition.equals(row.get("condition")) && g.model.equals(row.get("model")));
    }
    List<Map<String, String>> categories = table("categories");
    assertEquals(25, categories.size());
    for (var row : categories) {
      checkMetrics(row, g -> g.condition.equals(row.get("condition")) && g.category.equals(row.get("category")));
    }
  }

  @Test
  void significanceIsPairedOverQuestionAndModelAndHolmAdjusted() throws Exception {
    List<Map<String, String>> rows = table("significance");
    // overall + 3 families + 8 models, for C3 vs C2 and C5 vs C4
    assertEquals(2 * (1 + 3 + 8), rows.size());
    Map<String, Grade> byKey = new HashMap<>();
    grades.forEach(g -> byKey.put(g.condition + "/" + g.model + "/" + g.question, g));
    for (var row : rows) {
      String scope = row.get("scope");
      Predicate<String> inScope = scope.equals("overall") ? m -> true
          : scope.startsWith("family:") ? m -> FAMILY.get(m).equals(scope.substring(7))
          : m -> m.equals(scope.substring(6));
      List<Integer> diffs = new ArrayList<>();
      for (Grade t : grades) {
        if (t.condition.equals(row.get("treatment")) && inScope.test(t.model)) {
          Grade c = byKey.get(row.get("control") + "/" + t.model + "/" + t.question);
          diffs.add(t.total() - c.total());
        }
      }
      assertEquals(diffs.size(), Integer.parseInt(row.get("pairs")), scope);
      double mean = diffs.stream().mapToInt(Integer::intValue).average().orElseThrow() / 6 * 100;
      assertEquals(mean, d(row, "diff_pp"), 1e-9, scope);
      assertTrue(d(row, "ci_low_pp") <= mean && mean <= d(row, "ci_high_pp"), row.toString());
      double p = d(row, "p_value");
      assertTrue(p > 0 && p <= 1, row.toString());
    }
    // Holm, computed here from the file's own p-values.
    double[] p = rows.stream().mapToDouble(r -> d(r, "p_value")).toArray();
    Integer[] idx = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> p[i]));
    double[] holm = new double[p.length];
    double running = 0;
    for (int k = 0; k < idx.length; k++) {
      running = Math.max(running, Math.min(1, (p.length - k) * p[idx[k]]));
      holm[idx[k]] = running;
    }
    for (int i = 0; i < p.length; i++) {
      assertEquals(holm[i], d(rows.get(i), "p_adjusted"), 1e-12, rows.get(i).toString());
    }
  }

  @Test
  void intervalsContainTheirMeans() throws Exception {
    List<Map<String, String>> rows = table("intervals");
    assertEquals(5 + 15 + 40, rows.size());
    for (var row : rows) {
      double s = d(row, "score_pct");
      assertTrue(d(row, "ci_low_pct") <= s && s <= d(row, "ci_high_pct"), row.toString());
      assertTrue(d(row, "ci_high_pct") - d(row, "ci_low_pct") > 0, row.toString());
    }
  }

  /** Per criterion: the mean is the grades' own mean of that criterion, inside its interval. */
  @Test
  void criterionIntervalsHoldTheGradesMeans() throws Exception {
    List<Map<String, String>> rows = table("criterion_intervals");
    assertEquals(3 * (5 + 15 + 40), rows.size());
    for (var row : rows) {
      String scope = row.get("scope");
      String group = row.get("group");
      Predicate<Grade> in = g -> g.condition().equals(row.get("condition")) && (scope.equals("condition")
          || (scope.equals("family") ? FAMILY.get(g.model()) : g.model()).equals(group));
      java.util.function.ToIntFunction<Grade> criterion = switch (row.get("criterion")) {
        case "accuracy" -> Grade::acc;
        case "fluency" -> Grade::flu;
        default -> Grade::comp;
      };
      double mean = grades.stream().filter(in).mapToInt(criterion).average().orElseThrow() * 50;
      assertEquals(grades.stream().filter(in).count(), Long.parseLong(row.get("responses")), row.toString());
      assertEquals(mean, d(row, "score_pct"), 1e-9, row.toString());
      assertTrue(d(row, "ci_low_pct") <= mean && mean <= d(row, "ci_high_pct"), row.toString());
    }
  }

  @Test
  void responsesFileHasOneSortedRecordPerResponse() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("responses.jsonl"), StandardCharsets.UTF_8);
    assertEquals(2000, lines.size());
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Grade> byKey = new HashMap<>();
    grades.forEach(g -> byKey.put(g.condition + "/" + g.model + "/" + g.question, g));
    List<String> keys = new ArrayList<>();
    for (String line : lines) {
      JsonNode r = mapper.readTree(line);
      Grade g = byKey.remove(r.get("condition").asText() + "/" + r.get("model").asText() + "/"
          + r.get("question_id").asInt());
      assertEquals(g.total(), r.get("total").asInt());
      assertEquals(g.words, r.get("words").asInt());
      // The text is read again from results/ where the file is written: its words are what the
      // study's own scripts counted (response_length) in the answer they graded.
      assertEquals(g.words, dev.cltbench.study.FinalAnswerExtractor.countWords(r.get("final_answer").asText()),
          line.substring(0, Math.min(120, line.length())));
      keys.add(r.get("condition").asText() + "/" + r.get("model").asText());
    }
    assertTrue(byKey.isEmpty());
    assertTrue(stdout.contains("report written to"), stdout);
  }

  @Test
  void secondRunGivesByteIdenticalOutputs() throws Exception {
    Path again = tmp.resolve("again");
    int code = Main.run(new String[] {"report", "--study=" + StudyData.study(), "--output=" + again},
        new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"), System.err);
    assertEquals(0, code);
    Map<String, byte[]> first = files(out);
    Map<String, byte[]> second = files(again);
    // The output's marker records when it was written; everything else is byte-identical.
    String marker = dev.cltbench.output.OutputMarker.FILE_NAME;
    assertEquals(dev.cltbench.output.OutputMarker.parse(new String(first.remove(marker), "UTF-8")).files(),
        dev.cltbench.output.OutputMarker.parse(new String(second.remove(marker), "UTF-8")).files());
    assertEquals(first.keySet(), second.keySet());
    for (String f : first.keySet()) {
      if (f.equals("manifest.json")) {
        continue; // it records the command line, whose --output differs; compared without it below
      }
      assertArrayEquals(first.get(f), second.get(f), f);
    }
    com.fasterxml.jackson.databind.node.ObjectNode m1 = (com.fasterxml.jackson.databind.node.ObjectNode)
        new ObjectMapper().readTree(first.get("manifest.json"));
    com.fasterxml.jackson.databind.node.ObjectNode m2 = (com.fasterxml.jackson.databind.node.ObjectNode)
        new ObjectMapper().readTree(second.get("manifest.json"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) m1.get("tool")).remove("options");
    ((com.fasterxml.jackson.databind.node.ObjectNode) m2.get("tool")).remove("options");
    assertEquals(m1, m2);
    assertNull(leftovers(tmp), "no staging directories left behind");
  }

  static Map<String, byte[]> files(Path root) throws Exception {
    Map<String, byte[]> m = new TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        m.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  static String leftovers(Path dir) throws Exception {
    try (var list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
          .findFirst().orElse(null);
    }
  }

}
