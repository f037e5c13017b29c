package dev.cltbench.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.Responder;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.output.LocalOutput;
import dev.cltbench.output.OutputMarker;
import dev.cltbench.study.PipelineDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose report fails after every call was made keeps what was paid for: the study layout is
 * committed before the report, marked as lacking it, the run exits 4 with one line saying how to make
 * the report, and a second run with the same cache asks the models nothing.
 */
class PaidRunKeptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Evaluation.ReportStep FAILING = (options, definition, study, output, notes) -> {
    throw new IllegalStateException("forced report failure");
  };

  @TempDir Path tmp;

  /**
   * The published pipeline's models and judge behind one OpenAI-compatible server on 127.0.0.1 whose
   * answers are one plain line each (no step markers) and whose judge returns valid grades.
   */
  @Test
  void thePublishedPipelineAgainstAPlainLineServerKeepsItsAnswersWhenTheReportFails() throws Exception {
    PipelineDefinition published = PipelineDefinition.read(Path.of("pipelines/left-behind.json"));
    Set<String> judgeIds = published.panel().stream().map(PipelineDefinition.ModelSpec::modelId)
        .collect(Collectors.toSet());
    SyntheticResponder grades = new SyntheticResponder(published);
    Responder plainLine = r -> judgeIds.contains(r.modelId()) ? grades.respond(r)
        : new Responder.Reply("The answer is 4 & \"four\" < 5.", 0, 0, 0);
    try (ModelEmulator server = ModelEmulator.builder().responder(plainLine).latency(Duration.ofMillis(2)).start()) {
      Path pipeline = tmp.resolve("published-local.json");
      ObjectNode root = (ObjectNode) JSON.readTree(Path.of("pipelines/left-behind.json").toFile());
      List<JsonNode> specs = new ArrayList<>();
      root.get("models").forEach(specs::add);
      specs.add(root.get("judge"));
      for (JsonNode m : specs) {
        ObjectNode o = (ObjectNode) m;
        o.put("provider", "openai");
        o.put("base_url", server.openAiBaseUrl());
        for (String providerOnly : List.of("api_key_env", "api_version", "thinking", "route")) {
          o.remove(providerOnly);
        }
      }
      root.set("limits", JSON.readTree("{\"default\": {\"concurrency\": 16, \"requests_per_minute\": 0, "
          + "\"tokens_per_minute\": 0, \"max_attempts\": 2, \"timeout_seconds\": 30}}"));
      Files.writeString(pipeline, JSON.writeValueAsString(root));
      Path out = tmp.resolve("out");
      String[] args = {"--pipeline=" + pipeline, "--benchmark=../shared/left-behind-clt/benchmark/questions.json",
          "--limit=3", "--output=" + out, "--cache=" + tmp.resolve("cache"), "--progressSeconds=0",
          "--languageId=false"};

      Run first = run(args, FAILING);
      assertEquals(ExitCodes.REPORT_MISSING, first.exit, first.toString());
      long asked = server.requests();
      String lastLine = first.err.strip().lines().reduce((a, b) -> b).orElse("");
      assertTrue(lastLine.contains("make the report with: ./cltbench report --pipeline=" + pipeline
          + " --study=" + out + " --output=" + out + "-report --limit=3"), first.toString());
      assertTrue(lastLine.contains("forced report failure") && lastLine.endsWith("exit 4"), lastLine);

      // The study layout is there, whole: every cell's answers, its grades, the failures, the manifest.
      for (PipelineDefinition.Condition c : published.conditions()) {
        for (PipelineDefinition.ModelSpec m : published.models()) {
          assertTrue(Files.isRegularFile(out.resolve("results/" + c.directory() + "/" + m.name() + ".json")));
        }
        assertTrue(Files.isRegularFile(out.resolve("grades/" + c.directory() + ".csv")));
      }
      long answered = 0;
      for (PipelineDefinition.Condition c : published.conditions()) {
        for (PipelineDefinition.ModelSpec m : published.models()) {
          answered += JSON.readTree(out.resolve("results/" + c.directory() + "/" + m.name() + ".json").toFile())
              .get("responses").size();
        }
      }
      long gradeRows = 0;
      for (PipelineDefinition.Condition c : published.conditions()) {
        gradeRows += Files.readAllLines(out.resolve("grades/" + c.directory() + ".csv")).size() - 1;
      }
      long failures = Files.readAllLines(out.resolve("failures.jsonl")).stream().filter(l -> !l.isBlank()).count();
      assertEquals(8 * 5 * 3, answered + failures, "every tuple answered or in failures.jsonl");
      assertEquals(answered, gradeRows, "every answer graded");
      assertTrue(answered > 0);
      // Every tuple asked its model once (all prompts differ), and the judge was asked too (identical
      // judge prompts, the same plain line for the same question, are one call: the cache joins them).
      assertTrue(asked > 8 * 5 * 3, asked + " requests\n" + first);
      assertTrue(first.out.contains("tuples: 120 in = " + answered + " graded + " + failures + " failed"), first.out);
      assertTrue(Files.isRegularFile(out.resolve("manifest.json")));
      assertTrue(Files.isRegularFile(out.resolve("tables/costs.csv")));
      assertTrue(Files.readString(out.resolve(LiveEvaluation.REPORT_MISSING)).contains("./cltbench report"));
      assertFalse(Files.exists(out.resolve("report.html")));
      assertFalse(Files.exists(out.resolve("tables/conditions.csv")));
      // The marker says the report is missing and lists exactly what is there: a later run may replace it.
      OutputMarker marker = OutputMarker.parse(Files.readString(out.resolve(OutputMarker.FILE_NAME)));
      assertEquals(OutputMarker.REPORT, marker.missing());
      assertEquals(LocalOutput.files(out), marker.files());
      assertNoStaging(out);

      Run second = run(args, FAILING);
      assertEquals(ExitCodes.REPORT_MISSING, second.exit, second.toString());
      assertEquals(asked, server.requests(), "the second run asked nothing: " + second);
      assertTrue(second.out.contains("model calls: 0 made"), second.out);
      assertNoStaging(out);
    }
  }

  /**
   * The quickstart, report made to fail, then run again with the real report: the report-missing output
   * is replaced by the whole one, from the cache; and the printed report command makes the report.
   */
  @Test
  void aReportMissingOutputIsReplacedByTheNextRunAndTheHintMakesTheReport() throws Exception {
    Path out = tmp.resolve("quick");
    String[] args = {"--benchmark=benchmark/quickstart.json", "--limit=3", "--output=" + out,
        "--cache=" + tmp.resolve("cache"), "--progressSeconds=0", "--languageId=false"};
    Run failed = run(args, FAILING);
    assertEquals(ExitCodes.REPORT_MISSING, failed.exit, failed.toString());
    assertTrue(Files.exists(out.resolve(LiveEvaluation.REPORT_MISSING)));
    String hint = failed.err.strip().lines().reduce((a, b) -> b).orElseThrow();
    String command = hint.substring(hint.indexOf("./cltbench report ") + "./cltbench report ".length(),
        hint.lastIndexOf("; exit"));

    // The hint's own command makes the report from the kept study.
    List<String> reportArgs = new ArrayList<>(Arrays.asList(command.split(" ")));
    reportArgs.add("--languageId=false");
    PipelineOptionsFactory.register(ReportOptions.class);
    ReportOptions report = PipelineOptionsFactory.fromArgs(reportArgs.toArray(String[]::new)).withValidation()
        .as(ReportOptions.class);
    ByteArrayOutputStream reportOut = new ByteArrayOutputStream();
    assertEquals(0, ReportJob.run(report, reportArgs, new PrintStream(reportOut, true, StandardCharsets.UTF_8),
        System.err, System::getenv));
    assertTrue(Files.isRegularFile(Path.of(out + "-report/report.html")));
    assertTrue(Files.isRegularFile(Path.of(out + "-report/tables/conditions.csv")));

    Run whole = run(args, Evaluation.REPORT_PIPELINE);
    assertEquals(0, whole.exit, whole.toString());
    assertTrue(whole.out.contains("model calls: 0 made"), whole.out);
    assertFalse(Files.exists(out.resolve(LiveEvaluation.REPORT_MISSING)));
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
    assertTrue(Files.isRegularFile(out.resolve("results/C1_english/emu-openai.json")) || !Files.list(
        out.resolve("results")).toList().isEmpty());
    OutputMarker marker = OutputMarker.parse(Files.readString(out.resolve(OutputMarker.FILE_NAME)));
    assertNull(marker.missing());
    assertEquals(LocalOutput.files(out), marker.files());
    // The report made from the kept study equals the one the whole run made.
    assertEquals(Files.readString(Path.of(out + "-report/tables/conditions.csv")),
        Files.readString(out.resolve("tables/conditions.csv")));
    assertNoStaging(out);
  }

  private static void assertNoStaging(Path out) throws Exception {
    try (var siblings = Files.list(out.getParent())) {
      List<String> left = siblings.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".staging-") || n.contains(".old-") || n.endsWith("cltbench-lock")).toList();
      assertTrue(left.isEmpty(), "left behind: " + left);
    }
  }

  private record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  private static Run run(String[] args, Evaluation.ReportStep report) throws Exception {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--enforceImmutability=false");
    all.add("--enforceEncodability=false");
    all.add("--targetParallelism=16");
    PipelineOptionsFactory.register(RunOptions.class);
    RunOptions options = PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation()
        .as(RunOptions.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = RunJob.run(options, List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.<String, String>of()::get, report);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
