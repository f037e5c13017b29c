package dev.cltbench.cli;

import dev.cltbench.clients.ModelCalls;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.transforms.EvaluateTuples;
import dev.cltbench.transforms.StudyOrder;
import dev.cltbench.transforms.SummarizeCosts;
import dev.cltbench.transforms.WriteFailures;
import dev.cltbench.transforms.WriteStudyLayout;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code cltbench run}: asks every model every question under every condition, judges the answers,
 * writes them in the published study's layout, then reports on them like on the published study.
 */
final class RunCommand implements Main.Command {
  @Override
  public String summary() {
    return "run a benchmark live: models, transfer strategies, judge panel, then the report";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench run [--pipeline=FILE] [--output=DIR] [--benchmark=questions.json]");
    out.println("                      [--cache=DIR] [--budgetUsd=X] [--replay=STUDY_DIR] [--runner=...]");
    out.println();
    out.println("With no options, runs pipelines/quickstart.json offline: emulated models on 127.0.0.1,");
    out.println("the DirectRunner, and a finished report in output/quickstart/.");
    out.println("API keys are read from the environment variables the pipeline file names");
    out.println("(api_key_env), never from options.");
    out.println();
    PipelineOptionsFactory.register(RunOptions.class);
    PipelineOptionsFactory.printHelp(out, RunOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return run(args, out, err, System::getenv);
  }

  int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env)
      throws Exception {
    PipelineOptionsFactory.register(RunOptions.class);
    RunOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(RunOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    long started = System.nanoTime();
    PipelineDefinition definition = PipelineDefinition.read(Path.of(options.getPipeline()));
    String replay = options.getReplay();
    if (replay != null && !replay.isEmpty()) {
      definition = definition.replayedFrom(replay, options.getLatencyScale());
    }
    String benchmark = options.getBenchmark() != null ? options.getBenchmark()
        : replay != null && !replay.isEmpty() ? replay + "/benchmark/questions.json" : definition.benchmark();
    if (benchmark == null) {
      throw new IllegalArgumentException(options.getPipeline()
          + ": no benchmark: give --benchmark=questions.json or a \"benchmark\" field");
    }
    Questions questions = Questions.read(benchmark, definition.languages());
    List<String> missing = EmulatedModels.missingKeys(definition, env);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("missing API keys (set these environment variables; "
          + "nothing was called): " + String.join(", ", missing));
    }
    List<EvaluationTuple> tuples = tuples(definition, questions);
    OutputDirectory output = OutputDirectory.prepare(options.getOutput());
    boolean done = false;
    try (EmulatedModels emulator = EmulatedModels.startIfNeeded(definition)) {
      String staging = output.staging().toString();
      List<String> categories = new ArrayList<>();
      questions.all().forEach(q -> categories.add(q.category()));
      StudyOrder order = new StudyOrder(definition, new ArrayList<>(new LinkedHashSet<>(categories)));
      String cache = options.getCache() == null || options.getCache().isEmpty() ? null : options.getCache();
      ModelCalls calls = new ModelCalls(definition, cache, emulator.url(), EmulatedModels.clientFactory(definition))
          .withBudget(options.getBudgetUsd());

      Pipeline pipeline = Pipeline.create(options);
      PCollection<EvaluationTuple> evaluated = pipeline
          .apply("CreateTuples", Create.of(tuples).withCoder(EvaluationTuple.coder()))
          .apply(new EvaluateTuples(definition, calls, options.getShards()));
      evaluated
          .apply("GradedOnly", Filter.by(t -> t.failure() == null))
          .apply(new WriteStudyLayout(definition, staging, order));
      evaluated.apply(new WriteFailures(staging));
      evaluated.apply(new SummarizeCosts(definition, staging));
      PipelineResult result;
      try (ProgressLine progress = ProgressLine.start(err, calls.ledger(), tuples.size(),
          options.getProgressSeconds())) {
        result = pipeline.run();
        result.waitUntilFinish();
      }

      completeLayout(definition, output.staging(), benchmark);
      long graded = counter(result, "tuples_graded");
      long failed = counter(result, "tuples_failed");
      List<String> notes = new ArrayList<>();
      if (emulator.active()) {
        notes.add("The models and judges of this run were EMULATED by cltbench's model emulator on "
            + "127.0.0.1: the scores measure the pipeline, not any real model.");
      }
      notes.add("Live run of " + definition.name() + ": " + tuples.size() + " tuples = " + graded
          + " graded + " + failed + " failed (see failures.jsonl).");
      ReportCommand.reportInto(options, definition, output.staging().toString(), output, notes);
      output.commit();
      done = true;
      out.printf(Locale.ROOT, "run written to %s%n", output.target());
      out.printf(Locale.ROOT, "tuples: %d in = %d graded + %d failed%s%n", tuples.size(), graded,
          failed, graded + failed == tuples.size() ? "" : "  (COUNTS DO NOT ADD UP)");
      out.printf(Locale.ROOT, "model calls: %d made, %d from cache; judgments failed: %d%n",
          counter(result, "model_calls"), counter(result, "cache_hits"),
          counter(result, "judgments_failed"));
      out.printf(Locale.ROOT, "spent %.4f USD at the pipeline file's prices%s (tables/costs.csv)%n",
          calls.ledger().spentUsd(), options.getBudgetUsd() == null ? ""
              : String.format(Locale.ROOT, " of a %.2f USD cap; %d calls refused by the cap",
                  options.getBudgetUsd(), calls.ledger().refusedCalls()));
      if (emulator.active()) {
        out.println("note: models were emulated (offline quickstart); see report.html");
      }
      out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - started) / 1e9);
      return graded + failed == tuples.size() ? 0 : 1;
    } finally {
      if (!done) {
        output.abandon();
      }
    }
  }

  static List<EvaluationTuple> tuples(PipelineDefinition definition, Questions questions) {
    List<EvaluationTuple> out = new ArrayList<>();
    for (PipelineDefinition.Condition c : definition.conditions()) {
      String field = c.questionField() != null ? c.questionField()
          : definition.language(c.language()).orElseThrow().questionField();
      for (PipelineDefinition.ModelSpec m : definition.models()) {
        for (Questions.Question q : questions.all()) {
          out.add(new EvaluationTuple(c.id(), m.name(), q.id(), q.category(), c.language(),
              q.texts().get(field), q.referenceAnswer(), List.of(), null, null, List.of(), null));
        }
      }
    }
    return out;
  }

  /**
   * Makes the output a complete study directory: the benchmark it asked, and a results file and a
   * grades file for every condition x model even when all its tuples failed (report expects them).
   */
  static void completeLayout(PipelineDefinition definition, Path dir, String benchmark) throws java.io.IOException {
    Files.createDirectories(dir.resolve("benchmark"));
    Files.copy(Path.of(benchmark), dir.resolve("benchmark/questions.json"));
    for (PipelineDefinition.Condition c : definition.conditions()) {
      Path grades = dir.resolve("grades/" + c.directory() + ".csv");
      if (!Files.exists(grades)) {
        Files.createDirectories(grades.getParent());
        Files.writeString(grades, String.join(",", dev.cltbench.transforms.ReadStudyGrades.HEADER) + "\n",
            StandardCharsets.UTF_8);
      }
      for (PipelineDefinition.ModelSpec m : definition.models()) {
        Path results = dir.resolve("results/" + c.directory() + "/" + m.name() + ".json");
        if (!Files.exists(results)) {
          Files.createDirectories(results.getParent());
          Files.writeString(results, "{\"model\": \"" + m.name() + "\", \"condition\": \"" + c.id()
              + "\", \"language\": \"" + c.language() + "\", \"responses\": []}\n", StandardCharsets.UTF_8);
        }
      }
    }
    Path failures = dir.resolve("failures.jsonl");
    if (!Files.exists(failures)) {
      Files.writeString(failures, "");
    }
  }

  static long counter(PipelineResult result, String name) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("run", name)).build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
