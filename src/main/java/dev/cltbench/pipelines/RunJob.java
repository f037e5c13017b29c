package dev.cltbench.pipelines;

import dev.cltbench.output.OutputDirectory;
import dev.cltbench.output.OutputRules;
import dev.cltbench.plan.DryRun;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudySubset;
import dev.cltbench.transforms.QuestionsToTuples;
import dev.cltbench.transforms.ReadBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.FileSystems;

/**
 * {@code cltbench run}: asks every model every question under every condition, judges the answers,
 * writes them in the published study's layout, then reports on them like on the published study.
 */
public final class RunJob {
  private RunJob() {}

  /**
   * Runs the benchmark the options name (or plans it, with --dryRun): resolve the run once, check it
   * once, then plan or evaluate (build the graph, run, commit the study, report).
   *
   * @param commandLine the command's arguments as given, recorded in manifest.json
   * @param env the environment API keys are read from
   * @return the exit status
   */
  public static int run(RunOptions options, List<String> commandLine, PrintStream out, PrintStream err,
      Function<String, String> env) throws Exception {
    return run(options, commandLine, out, err, env, Evaluation.REPORT_PIPELINE);
  }

  /** As above with the given report step (tests make it fail). */
  static int run(RunOptions options, List<String> commandLine, PrintStream out, PrintStream err,
      Function<String, String> env, Evaluation.ReportStep report) throws Exception {
    EvaluationChecks.check(options);
    FileSystems.setDefaultPipelineOptions(options);
    Resolved run = Resolved.of(options);
    if (options.getDryRun()) {
      // The checks a real run makes, the output's among them; then the plan.
      DryRun.check(run.definition(), true, run.tupleCount(), run.output(), run.budgetUsd(), run.inputs(), env);
      String from = DryRun.recordedFrom(options.getLengthsFrom(), options.getReplay());
      DryRun.plan(options.getCache(), run.budgetUsd(), run.definition(), run.questions(),
          tuples(run.definition(), run.questions()), DryRun.recorded(from, run.definition()), from, out);
      return 0;
    }
    OutputDirectory.check(run.output(), run.inputs());
    LiveEvaluation.Outcome outcome = LiveEvaluation.evaluate(run.evaluation(options, commandLine, report), out, err, env);
    return outcome.exitCode(options.getMaxFailureRate(), outcome.target(), err);
  }

  /**
   * A run resolved from its options before any work: the pipeline file as run (replay, budget, subset
   * and epochs applied), its questions, the output and the inputs it may not touch.
   *
   * @param whole the pipeline file's definition before the subset
   */
  record Resolved(String pipelineFile, PipelineDefinition whole, PipelineDefinition definition, StudySubset subset,
      String benchmark, Questions questions, long tupleCount, String output, List<OutputRules.Input> inputs,
      Double budgetUsd) {
    static Resolved of(RunOptions options) throws java.io.IOException {
      String pipelineFile = RunJob.pipelineFile(options);
      PipelineDefinition definition = PipelineDefinition.read(Path.of(pipelineFile));
      String replay = options.getReplay();
      boolean replayed = replay != null && !replay.isEmpty();
      if (replayed) {
        definition = definition.replayedFrom(replay, options.getLatencyScale());
      }
      // The run's --batch choice over the file's per-entry "batch" (one value from here on).
      definition = definition.withBatch(PipelineDefinition.BatchMode.parse(options.getBatch()));
      if (definition.anyBatched() && (options.getCache() == null || options.getCache().isEmpty())
          && !options.getDryRun()) {
        throw new IllegalArgumentException("batch mode records its batches beside the response cache: give "
            + "--cache=DIR (rerun the same command with the same --cache to resume a run left while its batches ran)");
      }
      if (options.getBudgetUsd() == null && definition.budgetUsd() != null) {
        // The file's budget_usd is the cap unless --budgetUsd says otherwise (a replay spends nothing).
        options.setBudgetUsd(definition.budgetUsd());
      }
      String benchmark = options.getBenchmark() != null ? options.getBenchmark()
          : replayed ? replay + "/benchmark/questions.json" : definition.benchmark();
      if (benchmark == null) {
        throw new IllegalArgumentException(pipelineFile
            + ": no benchmark: give --benchmark=questions.json or a \"benchmark\" field");
      }
      List<OutputRules.Input> inputs = OutputDirectory.inputs(
          "pipeline file", pipelineFile, "benchmark", benchmark, "cache", options.getCache(),
          "replayed study", replay);
      Questions questions = Questions.read(benchmark, definition);
      StudySubset subset = ReportJob.subset(options, definition, questions);
      PipelineDefinition asRun = subset.apply(definition).withEpochs(
          options.getEpochs() != null ? options.getEpochs() : definition.epochsOrDefault());
      questions = questions.restrictTo(subset::includesQuestion);
      return new Resolved(pipelineFile, definition, asRun, subset, benchmark, questions,
          RunJob.tupleCount(asRun, questions), outputDirectory(options), inputs, options.getBudgetUsd());
    }

    /** The evaluation of the resolved run. */
    Evaluation evaluation(RunOptions options, List<String> commandLine, Evaluation.ReportStep report) {
      List<String> notes = new ArrayList<>(List.of("Live run of " + definition.name() + "."));
      if (!subset.isAll()) {
        notes.add("A SUBSET of the pipeline file's study: " + subset.describe(whole) + ".");
      }
      if (definition.epochsOrDefault() > 1) {
        notes.add("Every tuple was answered " + definition.epochsOrDefault() + " times (epochs); tables score "
            + "each tuple's mean, and intervals and tests treat the epochs as repeated measurements of one "
            + "(question, model) unit.");
      }
      // The questions are read again inside the pipeline and fanned out there: the launcher has
      // checked them, but the tuples are never a list it ships. Absolute: workers of a cluster
      // resolve a relative path against their own working directory.
      String benchmarkOnWorkers = ReportJob.absoluteIfLocal(benchmark);
      PipelineDefinition asked = definition;
      StudySubset selected = subset;
      Evaluation.TupleSource source = p -> p.apply(new ReadBenchmark(benchmarkOnWorkers, asked))
          .apply(new QuestionsToTuples(asked, selected));
      return Evaluation.builder("run", options)
          .study(definition, questions, benchmark)
          .askedTuples(source, tupleCount)
          .output(output, inputs)
          .notes(notes)
          .manifest(manifest("run", commandLine, options, pipelineFile, definition, benchmark,
              subset.isAll() ? null : "subset: " + subset.describe(whole)))
          .reportCommand(Evaluation.reportCommand(pipelineFile, output, options))
          .report(report)
          .build();
    }
  }

  /**
   * How many tuples the pipeline's fan-out makes (for the checks and the progress line): counted a
   * question at a time, so a live run never holds or sorts the whole list in the launcher.
   */
  static long tupleCount(PipelineDefinition definition, Questions questions) {
    long n = 0;
    for (Questions.Question q : questions.all()) {
      n += QuestionsToTuples.tuples(definition, q).size();
    }
    return n;
  }

  /** Every (condition, model, question) of the definition, once per epoch. */
  static List<EvaluationTuple> tuples(PipelineDefinition definition, Questions questions) {
    List<EvaluationTuple> out = new ArrayList<>();
    for (Questions.Question q : questions.all()) {
      out.addAll(QuestionsToTuples.tuples(definition, q));
    }
    // In the order the tuples were always listed: condition, model, question, epoch.
    java.util.Map<String, Integer> conditionOrder = new java.util.HashMap<>();
    java.util.Map<String, Integer> modelOrder = new java.util.HashMap<>();
    definition.conditions().forEach(c -> conditionOrder.put(c.id(), conditionOrder.size()));
    definition.models().forEach(m -> modelOrder.put(m.name(), modelOrder.size()));
    java.util.Map<Integer, Integer> questionOrder = new java.util.HashMap<>();
    questions.all().forEach(q -> questionOrder.put(q.id(), questionOrder.size()));
    out.sort(java.util.Comparator.<EvaluationTuple>comparingInt(t -> conditionOrder.get(t.condition()))
        .thenComparingInt(t -> modelOrder.get(t.model()))
        .thenComparingInt(t -> questionOrder.get(t.questionId()))
        .thenComparingInt(EvaluationTuple::epoch));
    return out;
  }

  /** The manifest of a run or re-grading, once the emulator's address is known. */
  static java.util.function.Function<String, dev.cltbench.manifest.RunManifest> manifest(String command,
      List<String> commandLine, EvaluationOptions options, String pipelineFile, PipelineDefinition definition,
      String benchmark, String subset) {
    return emulatorUrl -> {
      try {
        return dev.cltbench.manifest.RunManifest.of(command, commandLine, options.getRunner().getSimpleName(),
            Path.of(pipelineFile), definition, benchmark, emulatorUrl, subset);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  static String pipelineFile(RunOptions options) {
    return options.getPipeline() != null ? options.getPipeline() : RunOptions.DEFAULT_PIPELINE;
  }

  /** The given output, or {@code output/<pipeline file's name>}: runs of different pipelines never meet. */
  public static String outputDirectory(RunOptions options) {
    if (options.getOutput() != null) {
      return options.getOutput();
    }
    String name = Path.of(pipelineFile(options)).getFileName().toString();
    return "output/" + (name.endsWith(".json") ? name.substring(0, name.length() - 5) : name);
  }
}
