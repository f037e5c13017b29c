package dev.cltbench.pipelines;

import dev.cltbench.manifest.RunManifest;
import dev.cltbench.output.OutputRules;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * One evaluation, resolved from a command's options before any work ({@code run}, {@code grade} and
 * {@code bench} each make theirs), for {@link LiveEvaluation#evaluate}: what is evaluated, how its
 * calls are made, where it is written and what the report adds. Built by name ({@link #builder}), so
 * no caller passes a bare {@code true} or {@code null}.
 *
 * @param expectedTuples how many tuples the source gives (progress line, budget check; the counts at
 *     the end are measured)
 * @param answersCalled whether the answers are model calls ({@code run}, {@code bench}) or recorded
 *     ({@code grade}: only the judges are called)
 * @param addToStudy files the command adds to the staged study before it is committed (or null)
 * @param manifest the run's manifest given the emulator's address (or null: none written)
 * @param reportCommand the command line that makes the report from the committed study, printed and
 *     written to {@link LiveEvaluation#REPORT_MISSING} if the report fails
 */
record Evaluation(String command, EvaluationOptions options, PipelineDefinition definition, Questions questions,
    String benchmark, TupleSource tuples, long expectedTuples, boolean answersCalled, Double budgetUsd,
    String output, List<OutputRules.Input> inputs, List<String> notes,
    StagingHook addToStudy, Function<String, RunManifest> manifest, String reportCommand, ReportStep report) {

  /** Where the tuples come from: made from a benchmark, or read from a recorded study. */
  interface TupleSource {
    PCollection<EvaluationTuple> tuples(Pipeline pipeline);
  }

  /** Adds files to the staged study directory before it is committed. */
  interface StagingHook {
    void accept(String staging) throws IOException;
  }

  /**
   * The report on a committed study, into the output's new staging directory: {@link
   * #REPORT_PIPELINE} in every command; a test may give one that fails.
   */
  interface ReportStep {
    void report(EvaluationOptions options, PipelineDefinition definition, String study,
        dev.cltbench.output.OutputDirectory output, List<String> notes) throws Exception;
  }

  static final ReportStep REPORT_PIPELINE = (options, definition, study, output, notes) -> {
    DirectThreads.forReport(options);
    ReportJob.reportInto(options, options.getLanguageId(), definition, study, output, notes);
  };

  /**
   * {@code ./cltbench report} on the study a command commits at {@code study}, with the pipeline
   * file and the subset it ran (the report of a subset reports that subset), into a sibling output.
   */
  static String reportCommand(String pipelineFile, String study, SubsetOptions options) {
    List<String> args = new java.util.ArrayList<>(List.of("./cltbench", "report", "--pipeline=" + pipelineFile,
        "--study=" + study, "--output=" + (study.endsWith("/") ? study.substring(0, study.length() - 1) : study)
            + "-report"));
    if (options.getModels() != null) {
      args.add("--models=" + options.getModels());
    }
    if (options.getConditions() != null) {
      args.add("--conditions=" + options.getConditions());
    }
    if (options.getQuestions() != null) {
      args.add("--questions=" + options.getQuestions());
    }
    if (options.getLimit() != null) {
      args.add("--limit=" + options.getLimit());
    }
    StringBuilder line = new StringBuilder();
    for (String a : args) {
      // Quoted for a POSIX shell when it holds anything but plain path characters.
      line.append(line.length() == 0 ? "" : " ").append(a.matches("[A-Za-z0-9_./:=,@%+-]+") ? a
          : "'" + a.replace("'", "'\\''") + "'");
    }
    return line.toString();
  }

  static Builder builder(String command, EvaluationOptions options) {
    return new Builder(command, options);
  }

  /** Named parts of an {@link Evaluation}; the optional ones default to none. */
  static final class Builder {
    private final String command;
    private final EvaluationOptions options;
    private PipelineDefinition definition;
    private Questions questions;
    private String benchmark;
    private TupleSource tuples;
    private long expectedTuples = -1;
    private Boolean answersCalled;
    private String output;
    private List<OutputRules.Input> inputs;
    private List<String> notes = List.of();
    private StagingHook addToStudy;
    private Function<String, RunManifest> manifest;
    private String reportCommand;
    private ReportStep report = REPORT_PIPELINE;

    private Builder(String command, EvaluationOptions options) {
      this.command = command;
      this.options = options;
    }

    /** The definition as evaluated (subset and epochs applied), and its questions. */
    Builder study(PipelineDefinition definition, Questions questions, String benchmark) {
      this.definition = definition;
      this.questions = questions;
      this.benchmark = benchmark;
      return this;
    }

    /** Tuples whose answers are model calls. */
    Builder askedTuples(TupleSource source, long expected) {
      return tuples(source, expected, true);
    }

    /** Tuples with recorded answers: only the judges are called. */
    Builder recordedTuples(TupleSource source, long expected) {
      return tuples(source, expected, false);
    }

    private Builder tuples(TupleSource source, long expected, boolean called) {
      this.tuples = source;
      this.expectedTuples = expected;
      this.answersCalled = called;
      return this;
    }

    Builder output(String output, List<OutputRules.Input> inputs) {
      this.output = output;
      this.inputs = List.copyOf(inputs);
      return this;
    }

    Builder notes(List<String> notes) {
      this.notes = List.copyOf(notes);
      return this;
    }

    Builder addToStudy(StagingHook hook) {
      this.addToStudy = hook;
      return this;
    }

    Builder manifest(Function<String, RunManifest> manifest) {
      this.manifest = manifest;
      return this;
    }

    Builder reportCommand(String reportCommand) {
      this.reportCommand = reportCommand;
      return this;
    }

    Builder report(ReportStep report) {
      this.report = report;
      return this;
    }

    Evaluation build() {
      Objects.requireNonNull(definition, "study");
      Objects.requireNonNull(tuples, "tuples");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(reportCommand, "reportCommand");
      return new Evaluation(command, options, definition, questions, benchmark, tuples, expectedTuples,
          answersCalled, options.getBudgetUsd(), output, inputs, notes,
          addToStudy, manifest, reportCommand, report);
    }
  }
}
