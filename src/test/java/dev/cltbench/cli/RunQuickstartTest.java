package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.PipelineDefinition;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline quickstart end to end: four emulated providers (one per wire protocol) over loopback
 * HTTP, every condition type, a panel of two judges; then the same run again on its cache.
 */
class RunQuickstartTest {
  @TempDir Path tmp;

  @Test
  void quickstartRunsEveryProtocolConditionTypeAndJudgeThenRerunsFromCache() throws Exception {
    Path out1 = tmp.resolve("first");
    Path cache = tmp.resolve("cache");
    CliRun first = CliRun.of("run", "--output=" + out1, "--cache=" + cache, "--progressSeconds=0");
    assertEquals(0, first.exit(), first::toString);
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    int tuples = def.conditions().size() * def.models().size() * 10;
    assertTrue(first.out().contains("tuples: " + tuples + " in = " + tuples + " graded + 0 failed"), first::toString);

    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> stagesByType = new HashMap<>();
    long expectedCostMicros = 0;
    long studyCostMicros = 0;
    long allSteps = 0;
    for (PipelineDefinition.Condition c : def.conditions()) {
      for (PipelineDefinition.ModelSpec m : def.models()) {
        JsonNode r = json.readTree(out1.resolve("results/" + c.directory() + "/" + m.name() + ".json").toFile());
        assertEquals(10, r.get("responses").size(), c.id() + " " + m.name());
        for (JsonNode resp : r.get("responses")) {
          List<String> stages = new ArrayList<>();
          for (JsonNode s : resp.get("steps")) {
            String stage = s.get("stage").asText();
            stages.add(stage);
            assertTrue(s.get("output").asText().length() > 0, "every intermediate text is kept");
            PipelineDefinition.ModelSpec who = def.anyModel(s.get("model").asText()).orElseThrow();
            allSteps++;
            // A call answered from the cache (the same translation asked by two conditions) is free.
            long whole = Math.round(s.get("input_tokens").asLong() * who.inputPricePerMillion()
                + s.get("output_tokens").asLong() * who.outputPricePerMillion());
            expectedCostMicros += s.get("cached").asBoolean() ? 0 : whole;
            // The study's cost counts cached calls too, at the tokens recorded when they were made.
            studyCostMicros += whole;
          }
          long judges = stages.stream().filter(x -> x.startsWith("judge:")).count();
          assertEquals(2, judges, "both panel judges were called");
          stagesByType.merge(c.type() + ":" + String.join(",", stages.stream()
              .filter(x -> !x.startsWith("judge:")).toList()), 1, Integer::sum);
        }
      }
    }
    // Each condition type made exactly its chain of calls.
    assertEquals(Map.of(
        "direct:answer", 3 * 4 * 10,
        "self-transfer:answer", 4 * 10,
        "pipeline-transfer:translate-question,answer,translate-answer", 2 * 4 * 10,
        "translate-test:translate-question,answer", 4 * 10), stagesByType);

    // Costs: the table's total equals the tokens in the results times the file's prices.
    BigDecimal total = BigDecimal.ZERO;
    long calls = 0;
    try (Reader in = Files.newBufferedReader(out1.resolve("tables/costs.csv"))) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        total = total.add(new BigDecimal(r.get("cost_usd")));
        calls += Long.parseLong(r.get("calls"));
      }
    }
    assertEquals(BigDecimal.valueOf(expectedCostMicros, 6), total);
    assertEquals(BigDecimal.valueOf(studyCostMicros, 6), column(out1.resolve("tables/costs.csv"), "study_cost_usd"));
    assertTrue(first.out().contains("model calls: " + calls + " made, " + (allSteps - calls) + " from cache"),
        first::toString);

    // Both judges' own grades and their agreement.
    for (PipelineDefinition.ModelSpec j : def.panel()) {
      assertTrue(Files.exists(out1.resolve("judges/" + j.name() + "/grades/C1_english.csv")));
    }
    List<String> agreement = Files.readAllLines(out1.resolve("tables/judge_agreement.csv"));
    assertEquals(1 + 4, agreement.size(), String.join("\n", agreement));
    assertTrue(agreement.get(1).startsWith("accuracy,emu-judge-a,emu-judge-b," + tuples + ","));
    String html = Files.readString(out1.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("EMULATED"), "the report says the models were emulated");
    assertEquals("", Files.readString(out1.resolve("failures.jsonl")));

    // Again on the same cache: no call is made, and every table comes out the same.
    Path out2 = tmp.resolve("second");
    CliRun second = CliRun.of("run", "--output=" + out2, "--cache=" + cache, "--progressSeconds=0");
    assertEquals(0, second.exit(), second::toString);
    assertTrue(second.out().contains("model calls: 0 made, " + allSteps + " from cache"), second::toString);
    // A resumed study: this run spent nothing, and the study's whole cost is still there.
    assertEquals(0, column(out2.resolve("tables/costs.csv"), "cost_usd").signum());
    assertEquals(BigDecimal.valueOf(studyCostMicros, 6), column(out2.resolve("tables/costs.csv"), "study_cost_usd"));
    // Scores are the same; latencies are the cached calls' own, so only the time columns may differ
    // (when two conditions ask the same translation at once, both calls are made and either is kept).
    assertEquals(withoutColumn(out1.resolve("tables/models.csv"), "mean_time_s"),
        withoutColumn(out2.resolve("tables/models.csv"), "mean_time_s"));
    // The same inputs and cache give byte-identical tables.
    Path out3 = tmp.resolve("third");
    CliRun third = CliRun.of("run", "--output=" + out3, "--cache=" + cache, "--progressSeconds=0");
    assertEquals(0, third.exit(), third::toString);
    assertEquals(CliRun.files(out2.resolve("tables")), CliRun.files(out3.resolve("tables")));
    assertEquals(CliRun.files(out2.resolve("grades")), CliRun.files(out3.resolve("grades")));

    // The quickstart's page in a real browser, at a laptop's and a phone's size (report-check.mjs):
    // last, so a machine without a browser still ran everything above before the test is skipped.
    ExplorerBrowser.requireInstalled();
    int maxTotal = def.rubric().criteria().stream().mapToInt(c -> c.max()).sum();
    ExplorerBrowser.Outcome page = ExplorerBrowser.reportPage(out1.resolve("report.html"), maxTotal);
    assertEquals(0, page.exit(), page.output());
    assertTrue(json.readTree(page.output().trim()).path("ok").asBoolean(), page.output());
  }

  static BigDecimal column(Path csv, String column) throws java.io.IOException {
    BigDecimal sum = BigDecimal.ZERO;
    try (Reader in = Files.newBufferedReader(csv)) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        sum = sum.add(new BigDecimal(r.get(column)));
      }
    }
    return sum;
  }

  static List<List<String>> withoutColumn(Path csv, String column) throws java.io.IOException {
    List<List<String>> rows = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(csv)) {
      var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
      int drop = parser.getHeaderNames().indexOf(column);
      for (CSVRecord r : parser) {
        List<String> cells = new ArrayList<>(r.toList());
        cells.remove(drop);
        rows.add(cells);
      }
    }
    return rows;
  }
}
