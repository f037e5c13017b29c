package dev.cltbench.pipelines;

import dev.cltbench.clients.ModelCalls;
import dev.cltbench.clients.ModelClients;
import dev.cltbench.clients.Preflight;
import dev.cltbench.clients.RunLedger;
import dev.cltbench.emulator.EmulatorForPipeline;
import dev.cltbench.manifest.RunManifest;
import dev.cltbench.output.OutputDirectory;
import dev.cltbench.output.OutputMarker;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.transforms.EvaluateTuples;
import dev.cltbench.transforms.ReadStudyGrades;
import dev.cltbench.transforms.RunMetric;
import dev.cltbench.transforms.StudyOrder;
import dev.cltbench.transforms.SummarizeCosts;
import dev.cltbench.transforms.WriteFailures;
import dev.cltbench.transforms.WriteStudyLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;

/**
 * The evaluation shared by {@code run}, {@code grade} and {@code bench}, as a straight line: check
 * before any call, build the graph (tuples, their calls, the study layout with
 * the dead letters and costs), run it, commit the study, then report. The study (every answer and
 * grade paid for) is committed to the output before the report, with a marker that says the report
 * is missing; the report then replaces it whole, or, if it fails, the study stays with {@link
 * #REPORT_MISSING} saying how to make the report, and the command exits {@link ExitCodes#REPORT_MISSING}.
 */
final class LiveEvaluation {
  private LiveEvaluation() {}

  /** The readable note of an output whose report is missing (the marker says it too). */
  static final String REPORT_MISSING = "REPORT_MISSING.txt";

  /** What a finished evaluation counted. */
  record Outcome(long tuples, long graded, long failed, long calls, long cacheHits, double seconds,
      double evaluationSeconds, double evaluationCpuSeconds, PipelineResult result, String target,
      Endpoint endpoint, double reportSeconds, String reportFailure, String reportCommand) {
    boolean countsAddUp() {
      return graded + failed == tuples;
    }

    /**
     * 0; or {@link ExitCodes#TOO_MANY_FAILURES} with a last line on {@code err} saying why: more than
     * {@code maxFailureRate} of the tuples failed, every tuple failed, or the counts do not add up; or
     * {@link ExitCodes#REPORT_MISSING} with a last line saying how to make the report.
     */
    int exitCode(double maxFailureRate, String target, PrintStream err) {
      String why = null;
      if (!countsAddUp()) {
        why = "the tuple counts do not add up (" + tuples + " in, " + graded + " graded, " + failed + " failed)";
      } else if (tuples > 0 && failed == tuples) {
        why = "every tuple failed (" + failed + " of " + tuples + ")";
      } else if (tuples > 0 && (double) failed / tuples > maxFailureRate) {
        why = String.format(Locale.ROOT, "%d of %d tuples failed (%.1f%%), more than --maxFailureRate=%s",
            failed, tuples, 100.0 * failed / tuples, maxFailureRate);
      }
      if (why != null) {
        err.println("error: " + why + "; everything was written to " + target + " (see failures.jsonl)"
            + (reportFailure == null ? "; exit " + ExitCodes.TOO_MANY_FAILURES : ""));
      }
      if (reportFailure != null) {
        err.println("error: the report failed (" + reportFailure + "); the answers and grades are kept in "
            + target + " (results/, grades/, failures.jsonl, manifest.json; " + REPORT_MISSING
            + "); make the report with: " + reportCommand + "; exit " + ExitCodes.REPORT_MISSING);
        return ExitCodes.REPORT_MISSING;
      }
      return why == null ? 0 : ExitCodes.TOO_MANY_FAILURES;
    }
  }

  /**
   * What the emulator measured on its side during the evaluation (null when no emulator ran): seconds
   * with at least one request in flight, seconds of requests summed, the most requests at once.
   */
  record Endpoint(double busySeconds, double callSeconds, int maxInFlight,
      dev.cltbench.emulator.ModelEmulator.Slowest slowest) {}

  static Evaluation.TupleSource of(List<EvaluationTuple> tuples) {
    return p -> p.apply("CreateTuples", Create.of(tuples).withCoder(EvaluationTuple.coder()));
  }

  /** The counts the finished pipeline measured, read by their typed names. */
  record Counts(long tuplesIn, long graded, long failed, long calls, long cacheHits, long judgmentsFailed,
      Map<RunMetric.FailureKind, Long> failedByKind) {
    static Counts of(PipelineResult result) {
      Map<RunMetric.FailureKind, Long> kinds = new java.util.EnumMap<>(RunMetric.FailureKind.class);
      for (RunMetric.FailureKind k : RunMetric.FailureKind.values()) {
        kinds.put(k, counter(result, k.metricName()));
      }
      return new Counts(counter(result, RunMetric.TUPLES_IN.metricName()),
          counter(result, RunMetric.TUPLES_GRADED.metricName()), counter(result, RunMetric.TUPLES_FAILED.metricName()),
          counter(result, RunMetric.MODEL_CALLS.metricName()), counter(result, RunMetric.CACHE_HITS.metricName()),
          counter(result, RunMetric.JUDGMENTS_FAILED.metricName()), kinds);
    }

    /** These counts with the calls the run's call log found (a restarted worker's calls included). */
    Counts withCalls(long made) {
      return new Counts(tuplesIn, graded, failed, made, cacheHits, judgmentsFailed, failedByKind);
    }
  }

  /** Runs the evaluation (see the class comment); the output is the evaluation's. */
  static Outcome evaluate(Evaluation e, PrintStream out, PrintStream err, Function<String, String> env)
      throws Exception {
    long started = System.nanoTime();
    java.time.Instant startedAt = java.time.Instant.now();
    PipelineDefinition definition = e.definition();
    EvaluationOptions options = e.options();
    Preflight.checkBeforeCalls(definition, e.answersCalled(), e.expectedTuples(), e.budgetUsd(), env);
    // Checks the output once more under its lock, and stages it.
    OutputDirectory output = OutputDirectory.prepare(e.output(), e.command(), e.inputs());
    try (EmulatorForPipeline emulator = EmulatorForPipeline.startIfNeeded(definition)) {
      // Absolute: workers of a cluster resolve a relative path against their own working directory.
      String cache = options.getCache() == null || options.getCache().isEmpty() ? null
          : ReportJob.absoluteIfLocal(options.getCache());
      PipelineResult result;
      Counts counts;
      double evaluationSeconds;
      double evaluationCpuSeconds;
      RunSpend.Totals totals;
      long refusedCalls;
      List<String> reportNotes;
      try {
        ModelCalls calls = new ModelCalls(definition, cache, emulator.url(),
            ModelClients.factory(definition)).withBudget(e.budgetUsd())
            .withCallLog(RunSpend.logDirectory(output.staging())) // every call counted, wherever it ran
            .withWorkers(FlinkRestarts.workers(options)); // the file's limits shared by a cluster's workers
        RunSpend spend = RunSpend.of(output.staging());
        // Held for the run's length: embedded workers and the progress line share this JVM's ledger.
        try (ModelCalls.LedgerHold hold = calls.holdLedger()) {
          FlinkMaster.requireReachable(options);
          FlinkRestarts.configure(options); // restarts after a lost worker
          Pipeline pipeline = graph(e, calls, output.staging());
          long evaluationStarted = System.nanoTime();
          long cpuStarted = processCpuNanos();
          RunLedger ledger = hold.ledger();
          try (ProgressLine progress = ProgressLine.start(err, spend, e.expectedTuples(),
              options.getProgressSeconds());
              ReportWarmUp warmUp = ReportWarmUp.start(!FlinkMaster.isRemote(options),
                  () -> ledger.graded() + ledger.failed() > 0)) {
            result = pipeline.run();
            result.waitUntilFinish();
          }
          evaluationSeconds = (System.nanoTime() - evaluationStarted) / 1e9;
          evaluationCpuSeconds = cpuStarted < 0 ? -1 : (processCpuNanos() - cpuStarted) / 1e9;
          // costs.csv gains the calls a lost worker made (the log has them, the metrics do not).
          totals = spend.reconcile(output.staging(), definition, result, hold.ledger());
          spend.deleteLog(output.staging());
          refusedCalls = hold.ledger().refusedCalls();
        }
        counts = Counts.of(result).withCalls(totals.calls());
        reportNotes = completeStudy(e, output.staging(), emulator, counts, totals, startedAt, cache);
        // The answers and grades are paid for: in the output now, whatever the report does after.
        output.commitPartial(OutputMarker.REPORT, List.of(REPORT_MISSING));
      } catch (Exception | Error x) {
        output.abandon();
        throw x;
      }
      Endpoint endpoint = emulator.active() ? new Endpoint(emulator.emulator().busySeconds(),
          emulator.emulator().callSeconds(), emulator.emulator().maxInFlight(),
          emulator.emulator().slowest()) : null;
      String reportCommand = e.reportCommand() + (counts.failed() > 0 ? " --allowIncomplete" : "");
      String reportFailure = null;
      long reportStarted = System.nanoTime();
      try {
        e.report().report(options, definition, output.staging(), output, reportNotes);
        output.commit();
      } catch (Exception | Error x) {
        // The committed study stays, with its marker and REPORT_MISSING.txt; only the report's staging goes.
        output.abandon();
        reportFailure = x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage();
      }
      Outcome outcome = new Outcome(counts.tuplesIn(), counts.graded(), counts.failed(), counts.calls(),
          counts.cacheHits(), (System.nanoTime() - started) / 1e9, evaluationSeconds, evaluationCpuSeconds,
          result, output.target(), endpoint, (System.nanoTime() - reportStarted) / 1e9, reportFailure, reportCommand);
      print(out, outcome, counts, totals, refusedCalls, e.budgetUsd(), emulator.active() ? emulator.emulator() : null);
      return outcome;
    }
  }

  /**
   * The graph: tuples through their calls, into the study layout, the failures and the costs. Live or
   * batch is decided per call inside {@link ModelCalls} (same cache key, same outcome), so the graph
   * is one.
   */
  private static Pipeline graph(Evaluation e, ModelCalls calls, String staging) {
    PipelineDefinition definition = e.definition();
    List<String> categories = new ArrayList<>();
    e.questions().all().forEach(q -> categories.add(q.category()));
    StudyOrder order = new StudyOrder(definition, new ArrayList<>(new LinkedHashSet<>(categories)));
    Pipeline pipeline = Pipeline.create(e.options());
    PCollection<EvaluationTuple> evaluated = e.tuples().tuples(pipeline)
        .apply(new EvaluateTuples(definition, calls));
    evaluated
        .apply("GradedOnly", Filter.by(t -> t.failure() == null))
        .apply(new WriteStudyLayout(definition, staging, order));
    evaluated.apply(new WriteFailures(staging));
    evaluated.apply(new SummarizeCosts(definition, staging, !e.answersCalled()));
    return pipeline;
  }

  /**
   * Makes the staged study whole before it is committed: every cell's files, the command's own files,
   * the manifest, and the note that the report is missing (the report's commit drops it). Returns the
   * report's notes.
   */
  private static List<String> completeStudy(Evaluation e, String staging, EmulatorForPipeline emulator,
      Counts counts, RunSpend.Totals totals, java.time.Instant startedAt, String cache) throws IOException {
    PipelineDefinition definition = e.definition();
    completeLayout(definition, staging, e.benchmark(), e.questions());
    if (e.addToStudy() != null) {
      e.addToStudy().accept(staging);
    }
    List<String> notes = new ArrayList<>();
    if (emulator.active()) {
      notes.add(definition.emulator() != null && definition.emulator().replay() != null
          ? "The models and judges of this run were REPLAYED by cltbench's model emulator on 127.0.0.1 "
              + "from the recorded study " + definition.emulator().replay() + "."
          : "The models and judges of this run were EMULATED by cltbench's model emulator on "
              + "127.0.0.1: the scores measure the pipeline, not any real model.");
    }
    notes.addAll(e.notes());
    notes.add(counts.tuplesIn() + " tuples = " + counts.graded() + " graded + " + counts.failed()
        + " failed (see failures.jsonl); spent " + String.format(Locale.ROOT, "%.4f", totals.spentUsd())
        + " USD at the pipeline file's prices (tables/costs.csv)" + RunSpend.describe(totals) + ".");
    if (e.manifest() != null) {
      RunManifest m = e.manifest().apply(emulator.url()).withRun(startedAt, java.time.Instant.now(), cache,
          counts.calls(), counts.cacheHits(), counts.tuplesIn(), counts.graded(), counts.failed());
      StudyCodec.write(staging, "manifest.json", m.toJson());
      notes.addAll(RunManifest.summary(m.json()));
    }
    StudyCodec.write(staging, REPORT_MISSING, "The report of this cltbench " + e.command() + " is missing: its "
        + "answers and grades are complete here (results/, grades/, failures.jsonl, tables/costs.csv, "
        + "manifest.json), but the report (tables, figures, report.html) failed or was stopped.\n"
        + "Make it with:\n  " + e.reportCommand() + (counts.failed() > 0 ? " --allowIncomplete" : "") + "\n"
        + "or run the same command again with the same --cache: its calls come from the cache.\n");
    return notes;
  }

  private static void print(PrintStream out, Outcome outcome, Counts counts, RunSpend.Totals totals,
      long refusedCalls, Double budgetUsd, dev.cltbench.emulator.ModelEmulator emulator) {
    out.printf(Locale.ROOT, "written to %s%s%n", outcome.target(),
        outcome.reportFailure() == null ? "" : " (the report is missing: see " + REPORT_MISSING + ")");
    out.printf(Locale.ROOT, "tuples: %d in = %d graded + %d failed%s%n", outcome.tuples(), counts.graded(),
        counts.failed(), outcome.countsAddUp() ? "" : "  (COUNTS DO NOT ADD UP)");
    List<String> kinds = new ArrayList<>();
    counts.failedByKind().forEach((kind, n) -> {
      if (n > 0) {
        kinds.add(n + " " + kind.label());
      }
    });
    if (!kinds.isEmpty()) {
      out.printf(Locale.ROOT, "failed tuples by kind: %s (truncated: cut at max_tokens, not graded, not "
          + "cached; see failures.jsonl)%n", String.join(", ", kinds));
    }
    out.printf(Locale.ROOT, "model calls: %d made, %d from cache; judgments failed: %d%n",
        outcome.calls(), outcome.cacheHits(), counts.judgmentsFailed());
    out.printf(Locale.ROOT, "spent %.4f USD at the pipeline file's prices%s (tables/costs.csv)%s%n",
        totals.spentUsd(), budgetUsd == null ? ""
            : String.format(Locale.ROOT, " of a %.2f USD cap; %d calls refused by the cap",
                budgetUsd, refusedCalls), RunSpend.describe(totals));
    if (emulator != null) {
      // The endpoint's own count, to compare with costs.csv's calls.
      out.printf(Locale.ROOT, "emulator: %d requests received%s%n", emulator.requests(),
          emulator.quotaSummary() == null ? "" : "; " + emulator.quotaSummary());
      out.println("note: models were emulated on 127.0.0.1; see report.html");
    }
    out.printf(Locale.ROOT, "wall time %.1f s%n", outcome.seconds());
  }

  /**
   * Makes the output a complete study directory: the benchmark it asked, and a results file and a
   * grades file for every condition x model (and panel judge) even when all its tuples failed.
   */
  static void completeLayout(PipelineDefinition definition, String study, String benchmark, Questions questions)
      throws IOException {
    if (definition.benchmarkFieldsOrDefault().equals(PipelineDefinition.BenchmarkFields.DEFAULT)) {
      StudyCodec.copy(benchmark, study, "benchmark/questions.json");
    } else {
      // Another format or field mapping: kept as the study layout's questions.json, which report reads.
      StudyCodec.write(study, "benchmark/questions.json", questions.toJson(definition.languages()));
    }
    byte[] header = (String.join(",", ReadStudyGrades.header(definition.rubric())) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    for (PipelineDefinition.Condition c : definition.conditions()) {
      StudyCodec.writeIfMissing(study, "grades/" + c.directory() + ".csv", header);
      if (definition.panel().size() > 1) {
        for (PipelineDefinition.ModelSpec j : definition.panel()) {
          StudyCodec.writeIfMissing(study, "judges/" + j.name() + "/grades/" + c.directory() + ".csv", header);
        }
      }
      for (PipelineDefinition.ModelSpec m : definition.models()) {
        StudyCodec.writeIfMissing(study, "results/" + c.directory() + "/" + m.name() + ".json",
            StudyCodec.emptyResults(m.name(), c.id(), c.language()));
      }
    }
    StudyCodec.writeIfMissing(study, "failures.jsonl", new byte[0]);
  }

  /** CPU time this JVM has used, or -1 where the platform does not say. */
  static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  static long counter(PipelineResult result, org.apache.beam.sdk.metrics.MetricName name) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(name.getNamespace(), name.getName())).build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += RunMetric.finished(c);
    }
    return sum;
  }
}
