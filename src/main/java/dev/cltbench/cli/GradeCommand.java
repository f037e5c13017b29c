package dev.cltbench.cli;

import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.ResponseRecord;
import dev.cltbench.study.StudyLayout;
import dev.cltbench.transforms.ReadStudyResults;
import dev.cltbench.transforms.RunSteps;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * {@code cltbench grade}: re-grades the recorded responses of a study (for example the published
 * 2,000) with a new judge or panel, writes the new grades in the study layout, keeps the recorded
 * grades as the rater {@code recorded}, and reports every judge's agreement with them.
 */
final class GradeCommand implements Main.Command {
  static final String RECORDED = "recorded";

  @Override
  public String summary() {
    return "re-grade recorded responses with a new judge or panel; agreement with the recorded grades";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench grade [--pipeline=FILE] [--study=DIR] [--judges=panel.json]");
    out.println("                        [--output=DIR] [--cache=DIR] [--replay=STUDY_DIR] [--runner=...]");
    out.println();
    out.println("Judges every recorded answer of the study again (no model is asked anything), with the");
    out.println("pipeline file's judge panel or the one in --judges, and writes tables/judge_agreement.csv:");
    out.println("each judge against the recorded grades (rater 'recorded') and against each other.");
    out.println();
    PipelineOptionsFactory.register(GradeOptions.class);
    PipelineOptionsFactory.printHelp(out, GradeOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return run(args, out, err, System::getenv);
  }

  int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) throws Exception {
    PipelineOptionsFactory.register(GradeOptions.class);
    GradeOptions options = PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args, true)).withValidation().as(GradeOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    PipelineDefinition definition = PipelineDefinition.read(Path.of(pipelineFile(options)));
    if (options.getJudges() != null) {
      definition = definition.withJudgesFrom(Path.of(options.getJudges()));
    }
    for (PipelineDefinition.ModelSpec j : definition.panel()) {
      if (j.name().equals(RECORDED)) {
        throw new IllegalArgumentException("judge name '" + RECORDED + "' is reserved for the recorded grades");
      }
    }
    if (options.getReplay() != null && !options.getReplay().isEmpty()) {
      definition = definition.replayedFrom(options.getReplay(), options.getLatencyScale());
    }
    String study = options.getStudy();
    List<dev.cltbench.output.OutputRules.Input> inputs = OutputDirectory.inputs(
        "pipeline file", pipelineFile(options), "study directory", study, "judge panel file",
        options.getJudges(), "cache", options.getCache(), "replayed study", options.getReplay());
    OutputDirectory.check(outputDirectory(options), inputs);
    StudyLayout.verify(study, definition);
    String benchmark = StudyLayout.questionsFile(study);
    Questions questions = Questions.read(benchmark, definition.languages());
    long expected = (long) definition.conditions().size() * definition.models().size() * questions.size();
    PipelineDefinition def = definition;
    LiveEvaluation.TupleSource recorded = p -> p
        .apply(new ReadStudyResults(study, def, questions))
        .apply("RecordedAnswers", ParDo.of(new RecordedAnswerFn(def, questions)))
        .setCoder(EvaluationTuple.coder());
    List<String> panel = definition.panel().stream().map(PipelineDefinition.ModelSpec::name).toList();
    LiveEvaluation.Outcome outcome = LiveEvaluation.evaluate(options, definition, recorded, expected, false,
        questions, benchmark, outputDirectory(options), inputs, "grade",
        List.of("Recorded responses of " + study + " re-graded by the panel " + panel
            + "; the recorded grades are the rater 'recorded' in judges/ and tables/judge_agreement.csv."),
        staging -> copyRecordedGrades(study, staging), out, err, env);
    return outcome.exitCode(options.getMaxFailureRate(), outcome.target(), err);
  }

  /** The recorded grades become one more rater, so agreement with them is computed like any other. */
  static void copyRecordedGrades(String study, Path staging) throws java.io.IOException {
    Path target = staging.resolve("judges/" + RECORDED + "/grades");
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(Path.of(study, "grades"))) {
      for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".csv")).sorted()::iterator) {
        Files.copy(f, target.resolve(f.getFileName().toString()));
      }
    }
  }

  /** A recorded response as a tuple whose answer step is already done: only the judges are called. */
  static final class RecordedAnswerFn extends DoFn<ResponseRecord, EvaluationTuple> {
    private final PipelineDefinition definition;
    private final Questions questions;

    RecordedAnswerFn(PipelineDefinition definition, Questions questions) {
      this.definition = definition;
      this.questions = questions;
    }

    @ProcessElement
    public void process(@Element ResponseRecord r, OutputReceiver<EvaluationTuple> out) {
      PipelineDefinition.Condition c = definition.condition(r.condition()).orElseThrow();
      Questions.Question q = questions.get(r.questionId());
      EvaluationTuple.Step answer = new EvaluationTuple.Step(RunSteps.ANSWER, r.model(), c.systemPrompt(),
          r.questionText(), r.response(), 0, 0, Math.round(r.responseTimeSeconds() * 1000), true);
      out.output(new EvaluationTuple(r.condition(), r.model(), r.questionId(), r.category(), c.language(),
          r.questionText(), q.referenceAnswer(), List.of(answer), null, null, List.of(), null));
    }
  }

  static String pipelineFile(GradeOptions options) {
    return options.getPipeline() != null ? options.getPipeline() : GradeOptions.DEFAULT_PIPELINE;
  }

  static String outputDirectory(GradeOptions options) {
    return options.getOutput() != null ? options.getOutput() : GradeOptions.DEFAULT_OUTPUT;
  }
}
