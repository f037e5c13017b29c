package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.StudyData;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.study.PipelineDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dryRun}: the plan of a run, no call made, nothing written. */
class DryRunTest {
  @TempDir Path tmp;

  static String run(String... args) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int exit = new RunCommand().run(args, out, out, name -> "test-key-" + name);
    assertEquals(0, exit);
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aStudysPipelineOnItsQuestionsCallsNothingAndPlansEveryCall() throws Exception {
    PipelineDefinition def = PipelineDefinition.read(StudyData.fixturePipeline());
    Path benchmark = StudyData.fixture().resolve("benchmark/questions.json");
    int questions = new ObjectMapper().readTree(benchmark.toFile()).size();
    // One tuple (an answer and its judgment) per question x model x condition.
    int tuples = questions * def.models().size() * def.conditions().size();
    int answerTokens = def.models().get(0).maxTokens();
    int judgeTokens = def.panel().get(0).maxTokens();
    try (ModelEmulator emulator = ModelEmulator.builder().responder(new SyntheticResponder(def)).start()) {
      // Every model and the judge on the emulator (loopback http: keys may go there), with prices.
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = (ObjectNode) json.readTree(StudyData.fixturePipeline().toFile());
      for (JsonNode m : root.get("models")) {
        ((ObjectNode) m).put("base_url", emulator.baseUrl()).put("input_price_per_million", 1.0)
            .put("output_price_per_million", 4.0);
      }
      ((ObjectNode) root.get("judge")).put("base_url", emulator.baseUrl())
          .put("input_price_per_million", 3.0).put("output_price_per_million", 15.0);
      Path pipeline = tmp.resolve("fixture-on-emulator.json");
      Files.writeString(pipeline, json.writeValueAsString(root));
      Path out = tmp.resolve("out");
      Path cache = tmp.resolve("cache");
      String printed = run("--pipeline=" + pipeline, "--benchmark=" + benchmark,
          "--lengthsFrom=" + StudyData.fixture(), "--cache=" + cache, "--output=" + out, "--budgetUsd=0.01", "--dryRun");
      assertEquals(0, emulator.requests(), "no call reached the emulator");
      assertFalse(Files.exists(out), "nothing written");
      assertFalse(Files.exists(cache), "the cache was only read");
      assertTrue(printed.contains("tuples: " + tuples + " "), printed);
      assertTrue(printed.contains("answer calls: " + tuples + " (0 in the cache, " + tuples + " to make)"), printed);
      assertTrue(printed.contains("judge calls: " + tuples + " (0 in the cache, " + tuples + " to make)"), printed);
      assertTrue(printed.contains("translations calls: 0 "), printed);
      Matcher cost = Pattern.compile("estimated cost: ([0-9.]+) USD expected, ([0-9.]+) USD worst case").matcher(printed);
      assertTrue(cost.find(), printed);
      double expected = Double.parseDouble(cost.group(1));
      double worst = Double.parseDouble(cost.group(2));
      // The worst case is at least every call's max_tokens at the output price (4 and 15 USD a million).
      assertTrue(worst >= (tuples * answerTokens * 4.0 + tuples * judgeTokens * 15.0) / 1e6, printed);
      assertTrue(expected > 0 && expected < worst, printed);
      assertTrue(printed.contains("budget: cap 0.01 USD: WOULD BE REACHED"), printed);
      assertTrue(printed.contains("wall time lower bound: "), printed);
    }
  }

  @Test
  void planMatchesTheRunThenFindsEveryCallInTheCache() throws Exception {
    Path cache = tmp.resolve("cache");
    String plan = run("--cache=" + cache, "--output=" + tmp.resolve("never"), "--dryRun");
    assertFalse(Files.exists(tmp.resolve("never")));
    CliRun real = CliRun.of("run", "--cache=" + cache, "--output=" + tmp.resolve("real"), "--progressSeconds=0",
        "--languageId=false");
    assertEquals(0, real.exit(), real::toString);
    // The plan's calls per model and stage are the calls the run made (costs.csv counts made + cached).
    Map<String, Long> made = new HashMap<>();
    try (Reader in = Files.newBufferedReader(tmp.resolve("real/tables/costs.csv"))) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        String stage = r.get("stage").startsWith("judge:") ? "judge"
            : r.get("stage").equals("answer") ? "answer" : "translations";
        made.merge(r.get("model") + " " + stage, Long.parseLong(r.get("calls")) + Long.parseLong(r.get("cached_calls")), Long::sum);
      }
    }
    Matcher rows = Pattern.compile("\\n  (\\S+) +(answer|translations|judge) +(\\d+) ").matcher(plan);
    Map<String, Long> planned = new HashMap<>();
    while (rows.find()) {
      planned.put(rows.group(1) + " " + rows.group(2), Long.parseLong(rows.group(3)));
    }
    assertEquals(made, planned, plan);
    // On the filled cache every call of the chain is found, translations and judges included.
    String again = run("--cache=" + cache, "--output=" + tmp.resolve("never"), "--dryRun");
    Matcher total = Pattern.compile("estimated cost: 0.000000 USD expected, 0.000000 USD worst case \\(0 calls to make").matcher(again);
    assertTrue(total.find(), again);
  }

  @Test
  void gradeDryRunPlansOnlyTheJudgesOfTheRecordedAnswers() throws Exception {
    Path out = tmp.resolve("regrade");
    CliRun r = CliRun.of("grade", "--pipeline=" + StudyData.fixturePipeline(), "--study=" + StudyData.fixture(),
        "--replay=" + StudyData.fixture(), "--cache=" + tmp.resolve("cache"), "--output=" + out, "--dryRun",
        "--conditions=C2,C3");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("answer calls: 0 "), r::toString);
    // A judgment of every recorded answer of the two conditions.
    long judged = 0;
    for (String dir : java.util.List.of("C2_kazakh", "C3_kazakh_transfer")) {
      try (var files = Files.list(StudyData.fixture().resolve("results/" + dir))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          judged += new ObjectMapper().readTree(f.toFile()).get("responses").size();
        }
      }
    }
    assertTrue(r.out().contains("judge calls: " + judged + " (0 in the cache, " + judged + " to make)"), r::toString);
    assertFalse(Files.exists(out));
  }

  @Test
  void whatARealRunRefusesExitsTwo() {
    Path out = tmp.resolve("out");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunCommand().run(
        new String[] {"--pipeline=" + StudyData.fixturePipeline(),
            "--benchmark=" + StudyData.fixture().resolve("benchmark/questions.json"), "--output=" + out, "--dryRun"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), name -> null));
    assertTrue(e.getMessage().contains("missing API keys") && e.getMessage().contains("ANTHROPIC_API_KEY"), e.getMessage());
    // Main turns it into exit status 2.
    CliRun r = CliRun.of("run", "--pipeline=" + StudyData.fixturePipeline(), "--models=nobody", "--dryRun",
        "--benchmark=" + StudyData.fixture().resolve("benchmark/questions.json"), "--output=" + out);
    assertEquals(2, r.exit(), r::toString);
    assertFalse(Files.exists(out));
  }
}
