package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults against the emulator on loopback: transient ones (429 with Retry-After, 500, 503, resets,
 * timeouts, truncated and malformed bodies) must not change the outcome; permanent ones and the
 * budget cap must land every affected tuple in failures.jsonl with the counts adding up.
 * Four questions keep each run short; every condition type and all four protocols still run.
 */
class RunFaultsTest {
  @TempDir Path tmp;
  Path questions;
  int tuples;

  @BeforeEach
  void smallBenchmark() throws Exception {
    questions = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q.json"), 4);
    tuples = 7 * 4 * 4;
  }

  Path pipeline(String name, double faultRate, List<String> refuse) throws Exception {
    return StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve(name + ".json"), root -> {
      ObjectNode emulator = (ObjectNode) root.get("emulator");
      emulator.put("fault_rate", faultRate);
      emulator.put("latency_ms", 5);
      var list = emulator.putArray("refuse_models");
      refuse.forEach(list::add);
      // Short client timeouts, so the emulator's "timeout" faults (it hangs past them) cost little.
      ObjectNode limit = (ObjectNode) root.get("limits").get("default");
      limit.put("timeout_seconds", 2);
      limit.put("max_attempts", 6);
    });
  }

  CliRun run(Path pipeline, String output, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("run", "--pipeline=" + pipeline,
        "--benchmark=" + questions, "--output=" + tmp.resolve(output), "--cache=", "--progressSeconds=0"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void twentyPercentTransientFaultsGiveTheSameOutputsAsAFaultFreeRun() throws Exception {
    CliRun clean = run(pipeline("clean", 0, List.of()), "clean");
    assertEquals(0, clean.exit(), clean::toString);
    CliRun faulty = run(pipeline("faulty", 0.2, List.of()), "faulty");
    assertEquals(0, faulty.exit(), faulty::toString);
    String counts = "tuples: " + tuples + " in = " + tuples + " graded + 0 failed";
    assertTrue(clean.out().contains(counts), clean::toString);
    assertTrue(faulty.out().contains(counts), faulty::toString);
    assertEquals(StudyFiles.grades(tmp.resolve("clean"), "response_time"),
        StudyFiles.grades(tmp.resolve("faulty"), "response_time"));
    assertEquals("", Files.readString(tmp.resolve("faulty/failures.jsonl")));
    assertEquals(Files.readString(tmp.resolve("clean/tables/significance.csv")),
        Files.readString(tmp.resolve("faulty/tables/significance.csv")));
  }

  @Test
  void permanentRefusalsLandInFailuresAndCountsAddUp() throws Exception {
    CliRun r = run(pipeline("refusing", 0, List.of("emu-cohere-v1")), "refusing");
    // A quarter of the tuples failed: everything is written, and the exit status says so.
    assertEquals(Main.TOO_MANY_FAILURES, r.exit(), r::toString);
    int cohere = 7 * 4; // every tuple of that model
    assertTrue(r.out().contains("tuples: " + tuples + " in = " + (tuples - cohere) + " graded + " + cohere
        + " failed"), r::toString);
    List<String> lines = Files.readAllLines(tmp.resolve("refusing/failures.jsonl"));
    assertEquals(cohere, lines.size());
    for (String line : lines) {
      JsonNode f = StudyFiles.JSON.readTree(line);
      assertEquals("emu-cohere", f.get("model").asText());
      assertEquals("cohere", f.get("provider").asText());
      assertEquals(400, f.get("status").asInt(), line);
      assertTrue(f.get("stage").asText().equals("answer") || f.get("stage").asText().equals("translate-question"), line);
      assertTrue(!f.get("reason").asText().isBlank());
    }
    // A refusal is permanent: one request per refused call, never retried.
    assertTrue(r.out().contains("judgments failed: 0"), r::toString);
    // The page shows them counted, and the run's costs; the counts add up to the file's lines.
    List<String> failures = Files.readAllLines(tmp.resolve("refusing/tables/failures.csv"));
    assertEquals("stage,model,condition,status,kind,tuple_graded,failures", failures.get(0));
    assertEquals(cohere, failures.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum());
    for (String row : failures.subList(1, failures.size())) {
      // A 400 refusal of the request is a plain HTTP error: no reply kind, its status says it.
      assertTrue(row.contains(",emu-cohere,") && row.contains(",400,error,false,"), row);
    }
    String html = Files.readString(tmp.resolve("refusing/report.html"));
    assertTrue(html.contains("<section id=\"run\">") && html.contains("id=\"table-costs\"")
        && html.contains("id=\"table-failures\"") && html.contains(cohere + " failures in failures.jsonl"), "page");
    assertFalse(html.contains("<!--costs-and-failures-->"), "the page is rendered once, with nothing left to fill in");
  }

  @Test
  void budgetCapStopsNewCallsBeforeItIsPassed() throws Exception {
    double cap = 0.1; // about half of what the run costs, a few worst cases at a time
    CliRun r = run(pipeline("budget", 0, List.of()), "budget", "--budgetUsd=" + cap, "--maxFailureRate=1");
    assertEquals(0, r.exit(), r::toString);
    var m = java.util.regex.Pattern.compile("tuples: (\\d+) in = (\\d+) graded \\+ (\\d+) failed").matcher(r.out());
    assertTrue(m.find(), r::toString);
    long graded = Long.parseLong(m.group(2));
    long failed = Long.parseLong(m.group(3));
    assertEquals(tuples, graded + failed);
    assertTrue(failed > 0 && graded > 0, "the cap let some tuples through and stopped others: " + r);
    var spent = java.util.regex.Pattern.compile("spent ([0-9.]+) USD").matcher(r.out());
    assertTrue(spent.find());
    assertTrue(Double.parseDouble(spent.group(1)) <= cap, r::toString);
    long capped = Files.readAllLines(tmp.resolve("budget/failures.jsonl")).stream()
        .filter(l -> l.contains("budget cap")).count();
    assertTrue(capped > 0, "failures name the cap");
  }
}
