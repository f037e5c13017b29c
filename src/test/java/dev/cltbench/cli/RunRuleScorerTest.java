package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multiple-choice benchmark of our own (JSONL, Belebele-style, with a field mapping in the
 * pipeline file) run through {@code run} on the emulator with the rule-based choice scorer: no judge
 * is called, and the tables carry the scorer's one criterion, with the figures this test computes from
 * the answers in results/ and the answer key it reads from the benchmark itself.
 */
class RunRuleScorerTest {
  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path BENCHMARK = Path.of("src/test/resources/dev/cltbench/benchmarks/belebele-style-mini.jsonl");
  private static final List<String> CONDITIONS = List.of("C1", "C2", "C3", "C5", "C6");

  /** The quickstart on the benchmark, scored by {@code scorer}, with no judges and no rubric of its own. */
  static Path pipeline(Path dir, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode def = (ObjectNode) JSON.readTree(Path.of("pipelines/quickstart.json").toFile());
    def.remove("judges");
    def.remove("rubric");
    def.putObject("scorer").put("type", "choice");
    def.put("benchmark", BENCHMARK.toAbsolutePath().toString());
    for (JsonNode l : def.get("languages")) {
      ((ObjectNode) l).put("question_field", "passage_question_" + l.get("code").asText());
    }
    ObjectNode fields = def.putObject("benchmark_fields");
    fields.put("format", "jsonl").put("id", "qid").put("category", "topic").put("reference", "correct");
    ArrayNode choices = fields.putArray("choices");
    for (int i = 1; i <= 4; i++) {
      choices.add("option_" + i + "_{language}");
    }
    edit.accept(def);
    Path file = dir.resolve("mc.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), def);
    return file;
  }

  /** The emulator's three shapes of a choice (B, (B), Answer: B); anything else chooses nothing. */
  private static final Pattern CHOICE = Pattern.compile("^(?:Answer: )?\\(?([A-D])\\)?$");

  @Test
  void multipleChoiceBenchmarkRunsWithTheRuleScorerAndNoJudgeCall() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("run", "--pipeline=" + pipeline(tmp, d -> {}), "--output=" + out,
        "--cache=" + tmp.resolve("cache"), "--progressSeconds=0", "--conditions=" + String.join(",", CONDITIONS));
    assertEquals(0, run.exit(), run::toString);

    // The answer key, read here from the benchmark: numbers 1-4 and letters of either case.
    Map<Integer, String> key = new HashMap<>();
    Map<Integer, String> topic = new HashMap<>();
    for (String line : Files.readAllLines(BENCHMARK, StandardCharsets.UTF_8)) {
      JsonNode q = JSON.readTree(line);
      JsonNode c = q.get("correct");
      key.put(q.get("qid").asInt(), c.isInt() ? String.valueOf((char) ('A' + c.asInt() - 1)) : c.asText().toUpperCase());
      topic.put(q.get("qid").asInt(), q.get("topic").asText());
    }
    assertEquals(Map.of(1, "B", 2, "C", 3, "D", 4, "A"), key);

    JsonNode def = JSON.readTree(Path.of("pipelines/quickstart.json").toFile());
    Map<String, long[]> byCondition = new TreeMap<>();
    Map<String, long[]> byCategory = new TreeMap<>();
    long calls = 0;
    long cached = 0;
    long right = 0;
    long all = 0;
    for (JsonNode c : def.get("conditions")) {
      String id = c.get("id").asText();
      if (!CONDITIONS.contains(id)) {
        continue;
      }
      for (JsonNode m : def.get("models")) {
        JsonNode results = JSON.readTree(out.resolve("results/" + c.get("directory").asText() + "/"
            + m.get("name").asText() + ".json").toFile());
        assertEquals(4, results.get("responses").size());
        for (JsonNode r : results.get("responses")) {
          for (JsonNode s : r.get("steps")) {
            assertFalse(s.get("stage").asText().startsWith("judge"), "no judge was asked: " + s);
            calls++;
            cached += s.get("cached").asBoolean() ? 1 : 0;
          }
          Matcher chosen = CHOICE.matcher(r.get("response").asText().strip());
          int q = r.get("question_id").asInt();
          boolean ok = chosen.matches() && chosen.group(1).equals(key.get(q));
          right += ok ? 1 : 0;
          all++;
          byCondition.computeIfAbsent(id, k -> new long[2])[0] += ok ? 1 : 0;
          byCondition.get(id)[1]++;
          long[] cat = byCategory.computeIfAbsent(topic.get(q) + "," + id, k -> new long[2]);
          cat[0] += ok ? 1 : 0;
          cat[1]++;
        }
      }
    }
    // Every call is an answer or a translation: 4 models x 4 questions, translate-test twice (its one
    // translator's translation of a question is asked by all four models, so some come from the cache).
    // The run counted no other call: no judge was asked.
    assertEquals(4 * 4 * (4 + 2), calls);
    assertTrue(run.out().contains("model calls: " + (calls - cached) + " made, " + cached + " from cache"),
        run::toString);
    assertTrue(right > 0 && right < all, right + " of " + all + ": the key must decide, not a constant");

    List<String> metrics = List.of("responses", "score_pct", "correct_pct", "mean_time_s", "mean_words");
    check(out.resolve("tables/conditions.csv"), concat(List.of("condition"), metrics, List.of()), byCondition);
    check(out.resolve("tables/categories.csv"), concat(List.of("category", "condition"), metrics, List.of()),
        byCategory);
    assertEquals(concat(List.of("model", "condition"), metrics, List.of("delta_clt_pp")),
        header(out.resolve("tables/models.csv")));
    assertEquals(List.of("question_id", "category", "model", "correct", "total", "response_time",
        "response_length", "notes"), header(out.resolve("grades/C1_english.csv")));
    assertFalse(Files.exists(out.resolve("tables/judge_agreement.csv")), "one rater: no agreement table");
    // The manifest records the rule that graded, and no judge prompt that graded nothing.
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals("choice", manifest.path("scorer").path("type").asText(), manifest.toString());
    assertEquals("correct", manifest.path("scorer").path("criterion").asText(), manifest.toString());
    assertFalse(manifest.path("prompts").has("judge_system"), manifest.toString());
    for (String line : Files.readAllLines(out.resolve("responses.jsonl"))) {
      JsonNode o = JSON.readTree(line);
      assertTrue(o.has("correct") && !o.has("accuracy"), line);
    }
    // The study layout keeps the questions as report reads them: lettered choices, letter references.
    JsonNode kept = JSON.readTree(out.resolve("benchmark/questions.json").toFile());
    assertEquals(4, kept.size());
    assertEquals("B", kept.get(0).get("reference_answer").asText());
    assertTrue(kept.get(0).get("passage_question_kazakh").asText().endsWith("\nD. Сырдария"),
        kept.get(0).toString());
  }

  @Test
  void aBadFieldOrRecordIsOneLineNamingFileAndFieldExit2() throws Exception {
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    CliRun format = CliRun.of("run", "--pipeline=" + pipeline(bad,
        d -> ((ObjectNode) d.get("benchmark_fields")).put("format", "xml")), "--output=" + tmp.resolve("o1"));
    assertEquals(Main.BAD_INPUT, format.exit(), format::toString);
    assertTrue(format.err().contains("mc.json") && format.err().contains("benchmark_fields.format"), format::toString);
    assertEquals(1, format.err().strip().lines().count(), format::toString);

    CliRun scorer = CliRun.of("run", "--pipeline=" + pipeline(bad,
        d -> ((ObjectNode) d.get("scorer")).put("type", "regex")), "--output=" + tmp.resolve("o2"));
    assertEquals(Main.BAD_INPUT, scorer.exit(), scorer::toString);
    assertTrue(scorer.err().contains("scorer.type") && scorer.err().contains("regex"), scorer::toString);

    Path key = tmp.resolve("bad-key.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(BENCHMARK, StandardCharsets.UTF_8));
    lines.set(2, lines.get(2).replace("\"correct\": 4", "\"correct\": 5"));
    Files.write(key, lines, StandardCharsets.UTF_8);
    CliRun record = CliRun.of("run", "--pipeline=" + pipeline(bad,
        d -> d.put("benchmark", key.toAbsolutePath().toString())), "--output=" + tmp.resolve("o3"));
    assertEquals(Main.BAD_INPUT, record.exit(), record::toString);
    assertTrue(record.err().contains("bad-key.jsonl") && record.err().contains("line 3")
        && record.err().contains("correct"), record::toString);
    assertFalse(Files.exists(tmp.resolve("o3")));
  }

  private static void check(Path table, List<String> columns, Map<String, long[]> expected) throws IOException {
    int keys = columns.indexOf("responses");
    Map<String, long[]> seen = new TreeMap<>();
    try (Reader in = Files.newBufferedReader(table)) {
      CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
      assertEquals(columns, p.getHeaderNames(), table.toString());
      for (CSVRecord row : p) {
        String k = String.join(",", row.toList().subList(0, keys));
        long[] e = expected.get(k);
        assertTrue(e != null, table + ": unexpected row " + k);
        seen.put(k, e);
        assertEquals(e[1], Long.parseLong(row.get("responses")), k);
        assertEquals(e[0] * 100.0 / e[1], Double.parseDouble(row.get("correct_pct")), 1e-9, k);
        assertEquals(e[0] * 100.0 / e[1], Double.parseDouble(row.get("score_pct")), 1e-9, k);
      }
    }
    assertEquals(expected.keySet(), seen.keySet(), table.toString());
  }

  private static List<String> header(Path csv) throws IOException {
    try (Reader in = Files.newBufferedReader(csv)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getHeaderNames();
    }
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    out.addAll(c);
    return out;
  }
}
