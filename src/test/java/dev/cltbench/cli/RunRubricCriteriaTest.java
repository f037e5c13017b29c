package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rubric in the pipeline file decides what is scored: a run with four criteria and one with two
 * (the second with two epochs), each on the emulator over loopback with a panel of two judges. The
 * emulated judges grade the file's criteria; every table carries exactly those criteria, and its
 * figures equal what this test computes from the judges' own replies recorded in results/.
 */
class RunRubricCriteriaTest {
  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** name, min, max. */
  record Crit(String name, int min, int max) {}

  @Test
  void fourCriteriaAreScoredAndTabledEndToEnd() throws Exception {
    runAndCheck("four", List.of(new Crit("accuracy", 0, 2), new Crit("fluency", 0, 2),
        new Crit("completeness", 0, 2), new Crit("cultural_fit", 1, 4)), 1);
  }

  @Test
  void twoCriteriaWithEpochsAreScoredAndTabledEndToEnd() throws Exception {
    runAndCheck("two", List.of(new Crit("correct", 0, 3), new Crit("clarity", 0, 1)), 2);
  }

  private void runAndCheck(String name, List<Crit> rubric, int epochs) throws Exception {
    Path pipeline = writePipeline(name, rubric);
    Path out = tmp.resolve("out-" + name);
    CliRun run = CliRun.of("run", "--pipeline=" + pipeline, "--output=" + out,
        "--cache=" + tmp.resolve("cache-" + name), "--progressSeconds=0",
        "--models=emu-openai,emu-cohere", "--conditions=C1,C2,C3", "--epochs=" + epochs);
    assertEquals(0, run.exit(), run::toString);
    List<String> names = rubric.stream().map(Crit::name).toList();
    int maxTotal = rubric.stream().mapToInt(Crit::max).sum();
    int minTotal = rubric.stream().mapToInt(Crit::min).sum();

    // The judges' replies, parsed here: the panel of two takes the lower grade per criterion.
    Map<String, String> family = familiesOf(pipeline);
    List<Answer> answers = new ArrayList<>();
    Map<String, List<int[]>> perUnitTotals = new TreeMap<>();
    long[] agreeing = new long[names.size() + 1];
    long pairs = 0;
    for (String condition : List.of("C1", "C2", "C3")) {
      for (String model : List.of("emu-openai", "emu-cohere")) {
        JsonNode results = JSON.readTree(out.resolve("results/" + directory(condition) + "/" + model + ".json").toFile());
        assertEquals(10 * epochs, results.get("responses").size(), condition + " " + model);
        for (JsonNode r : results.get("responses")) {
          List<int[]> verdicts = new ArrayList<>();
          for (JsonNode step : r.get("steps")) {
            if (step.get("stage").asText().startsWith("judge:")) {
              JsonNode reply = JSON.readTree(step.get("output").asText());
              Set<String> fields = new TreeSet<>();
              reply.fieldNames().forEachRemaining(fields::add);
              Set<String> expectedFields = new TreeSet<>(names);
              expectedFields.add("notes");
              assertEquals(expectedFields, fields, "the emulated judge grades the file's criteria");
              int[] v = new int[names.size()];
              for (int i = 0; i < v.length; i++) {
                v[i] = reply.get(names.get(i)).asInt();
                assertTrue(v[i] >= rubric.get(i).min() && v[i] <= rubric.get(i).max());
              }
              verdicts.add(v);
            }
          }
          assertEquals(2, verdicts.size());
          int[] panel = new int[names.size()];
          for (int i = 0; i < panel.length; i++) {
            panel[i] = Math.min(verdicts.get(0)[i], verdicts.get(1)[i]);
            agreeing[i] += verdicts.get(0)[i] == verdicts.get(1)[i] ? 1 : 0;
          }
          agreeing[names.size()] += sum(verdicts.get(0)) == sum(verdicts.get(1)) ? 1 : 0;
          pairs++;
          answers.add(new Answer(condition, model, family.get(model), r.get("category").asText(),
              r.get("question_id").asInt(), panel));
          perUnitTotals.computeIfAbsent(condition + "/" + model + "/" + r.get("question_id").asInt(),
              k -> new ArrayList<>()).add(new int[] {sum(panel)});
        }
      }
    }

    List<String> metrics = new ArrayList<>(List.of("responses", "score_pct"));
    names.forEach(n -> metrics.add(n + "_pct"));
    metrics.addAll(List.of("mean_time_s", "mean_words"));
    checkScores(out.resolve("tables/conditions.csv"), concat(List.of("condition"), metrics, List.of()),
        answers, a -> a.condition(), rubric, epochs);
    checkScores(out.resolve("tables/models.csv"),
        concat(List.of("model", "condition"), metrics, List.of("delta_clt_pp")),
        answers, a -> a.model() + "," + a.condition(), rubric, epochs);
    checkScores(out.resolve("tables/families.csv"),
        concat(List.of("family", "condition"), metrics, List.of("delta_clt_pp")),
        answers, a -> a.family() + "," + a.condition(), rubric, epochs);
    checkScores(out.resolve("tables/categories.csv"),
        concat(List.of("category", "condition"), metrics, List.of()),
        answers, a -> a.category() + "," + a.condition(), rubric, epochs);

    // Intervals: the mean is the same score, in percent of the rubric's maximum total.
    for (CSVRecord row : rows(out.resolve("tables/intervals.csv"))) {
      if (row.get("scope").equals("condition")) {
        String c = row.get("condition");
        double expected = answers.stream().filter(a -> a.condition().equals(c)).mapToInt(a -> sum(a.scores()))
            .sum() * 100.0 / (answers.stream().filter(a -> a.condition().equals(c)).count() * maxTotal);
        assertEquals(expected, Double.parseDouble(row.get("score_pct")), 1e-9, "intervals " + c);
      }
    }

    // Agreement: one row per criterion of the rubric and the total, no others.
    Set<String> criteriaSeen = new TreeSet<>();
    for (CSVRecord row : rows(out.resolve("tables/judge_agreement.csv"))) {
      String criterion = row.get("criterion");
      criteriaSeen.add(criterion);
      int i = criterion.equals("total") ? names.size() : names.indexOf(criterion);
      assertEquals(pairs, Long.parseLong(row.get("units")), criterion);
      assertEquals(agreeing[i] * 100.0 / pairs, Double.parseDouble(row.get("exact_agreement_pct")), 1e-9, criterion);
    }
    Set<String> expectedCriteria = new TreeSet<>(names);
    expectedCriteria.add("total");
    assertEquals(expectedCriteria, criteriaSeen);

    // The grades files: the rubric's columns, and a total in its range.
    List<String> header = new ArrayList<>(List.of("question_id", "category", "model"));
    header.addAll(names);
    header.addAll(List.of("total", "response_time", "response_length", "notes"));
    if (epochs > 1) {
      header.add("epoch");
    }
    try (Reader in = Files.newBufferedReader(out.resolve("grades/C1_english.csv"))) {
      CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
      assertEquals(header, p.getHeaderNames());
      for (CSVRecord r : p) {
        int t = Integer.parseInt(r.get("total"));
        assertTrue(t >= minTotal && t <= maxTotal, r.toString());
      }
    }

    // responses.jsonl: every criterion and the total, and no criterion of another rubric.
    for (String line : Files.readAllLines(out.resolve("responses.jsonl"))) {
      JsonNode o = JSON.readTree(line);
      int total = 0;
      for (String n : names) {
        assertTrue(o.has(n), n + " in " + line);
        total += o.get(n).asInt();
      }
      assertEquals(total, o.get("total").asInt());
      for (String other : List.of("accuracy", "fluency", "completeness", "cultural_fit", "correct", "clarity")) {
        assertEquals(names.contains(other), o.has(other), other);
      }
    }

    // The judge prompt asked for exactly these criteria.
    String system = JSON.readTree(out.resolve("manifest.json").toFile()).get("prompts").get("judge_system").asText();
    for (String n : names) {
      assertTrue(system.contains("- " + n + " ("), system);
    }
    assertEquals(names.contains("fluency"), system.contains("fluency"), system);

    if (epochs > 1) {
      // The spread of a tuple's epochs, in percent of the rubric's maximum total.
      Map<String, Double> widest = new HashMap<>();
      perUnitTotals.forEach((unit, totals) -> {
        String[] k = unit.split("/");
        int lo = totals.stream().mapToInt(t -> t[0]).min().orElseThrow();
        int hi = totals.stream().mapToInt(t -> t[0]).max().orElseThrow();
        assertEquals(epochs, totals.size(), unit);
        widest.merge(k[1] + "," + k[0], (hi - lo) * 100.0 / maxTotal, Math::max);
      });
      List<CSVRecord> spread = rows(out.resolve("tables/epochs.csv"));
      assertEquals(widest.size(), spread.size());
      for (CSVRecord row : spread) {
        assertEquals(widest.get(row.get("model") + "," + row.get("condition")),
            Double.parseDouble(row.get("max_range_pct")), 1e-9, row.toString());
      }
    }
  }

  record Answer(String condition, String model, String family, String category, int question, int[] scores) {}

  /**
   * Every row of a score table against the answers grouped by {@code key}: units (answers / epochs),
   * the score and each criterion in percent of its maximum; the header is exactly {@code columns}.
   */
  private static void checkScores(Path table, List<String> columns, List<Answer> answers,
      java.util.function.Function<Answer, String> key, List<Crit> rubric, int epochs) throws IOException {
    Map<String, List<Answer>> groups = new LinkedHashMap<>();
    answers.forEach(a -> groups.computeIfAbsent(key.apply(a), k -> new ArrayList<>()).add(a));
    int maxTotal = rubric.stream().mapToInt(Crit::max).sum();
    int keys = columns.indexOf("responses");
    Set<String> seen = new HashSet<>();
    try (Reader in = Files.newBufferedReader(table)) {
      CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
      assertEquals(columns, p.getHeaderNames(), table.toString());
      for (CSVRecord row : p) {
        String k = String.join(",", row.toList().subList(0, keys));
        List<Answer> group = groups.get(k);
        assertTrue(group != null, table + ": unexpected row " + k);
        seen.add(k);
        assertEquals(group.size() / epochs, Long.parseLong(row.get("responses")), table + " " + k);
        double n = group.size();
        assertEquals(group.stream().mapToInt(a -> sum(a.scores())).sum() * 100.0 / (n * maxTotal),
            Double.parseDouble(row.get("score_pct")), 1e-9, table + " " + k + " score_pct");
        for (int i = 0; i < rubric.size(); i++) {
          int c = i;
          double expected = group.stream().mapToInt(a -> a.scores()[c]).sum() * 100.0 / (n * rubric.get(i).max());
          assertEquals(expected, Double.parseDouble(row.get(rubric.get(i).name() + "_pct")), 1e-9,
              table + " " + k + " " + rubric.get(i).name());
        }
      }
    }
    assertEquals(groups.keySet(), seen, table + ": every group has its row");
  }

  private static int sum(int[] v) {
    int s = 0;
    for (int x : v) {
      s += x;
    }
    return s;
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    out.addAll(c);
    return out;
  }

  private static List<CSVRecord> rows(Path csv) throws IOException {
    try (Reader in = Files.newBufferedReader(csv)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
    }
  }

  private static String directory(String condition) throws IOException {
    JsonNode def = JSON.readTree(Path.of("pipelines/quickstart.json").toFile());
    for (JsonNode c : def.get("conditions")) {
      if (c.get("id").asText().equals(condition)) {
        return c.get("directory").asText();
      }
    }
    throw new AssertionError("no condition " + condition);
  }

  private static Map<String, String> familiesOf(Path pipeline) throws IOException {
    Map<String, String> family = new HashMap<>();
    for (JsonNode m : JSON.readTree(pipeline.toFile()).get("models")) {
      family.put(m.get("name").asText(), m.get("family").asText());
    }
    return family;
  }

  /** The quickstart with {@code rubric} in place of its own, and no rules that name a criterion. */
  private Path writePipeline(String name, List<Crit> rubric) throws IOException {
    ObjectNode def = (ObjectNode) JSON.readTree(Path.of("pipelines/quickstart.json").toFile());
    def.put("benchmark", Path.of("benchmark/quickstart.json").toAbsolutePath().toString());
    ObjectNode r = def.putObject("rubric");
    ArrayNode criteria = r.putArray("criteria");
    for (Crit c : rubric) {
      ObjectNode o = criteria.addObject();
      o.put("name", c.name());
      o.put("min", c.min());
      o.put("max", c.max());
      ArrayNode levels = o.putArray("levels");
      for (int v = c.min(); v <= c.max(); v++) {
        levels.add("level " + v);
      }
    }
    r.putArray("rules").add("A refusal scores the minimum on every criterion.");
    Path file = tmp.resolve(name + ".json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), def);
    return file;
  }
}
