package dev.cltbench.pipelines;

import dev.cltbench.clients.ModelCalls;
import dev.cltbench.clients.ModelClients;
import dev.cltbench.clients.Preflight;
import dev.cltbench.emulator.EmulatorForPipeline;
import dev.cltbench.manifest.RunManifest;
import dev.cltbench.output.OutputDirectory;
import dev.cltbench.output.OutputRules;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.transforms.EvaluateTuples;
import dev.cltbench.transforms.ReadStudyGrades;
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
 * The live half shared by {@code run} and {@code grade}: tuples through their model calls and the
 * judge panel, written in the study layout with the dead letters and costs, then the report on that
 * layout; all in a staging directory that replaces the output only when everything succeeded.
 */
final class LiveEvaluation {
  private LiveEvaluation() {}

  /** Adds files to the staged study directory before the report reads it. */
  interface StagingHook {
    void accept(String staging) throws IOException;
  }

  /** What a finished evaluation counted. */
  record Outcome(long tuples, long graded, long failed, long calls, long cacheHits, double seconds,
      double evaluationSeconds, double evaluationCpuSeconds, PipelineResult result, String target,
      Endpoint endpoint) {
    boolean countsAddUp() {
      return graded + failed == tuples;
    }

    /**
     * 0, or {@link ExitCodes#TOO_MANY_FAILURES} with a last line on {@code err} saying why: more than
     * {@code maxFailureRate} of the tuples failed, every tuple failed, or the counts do not add up.
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
      if (why == null) {
        return 0;
      }
      err.println("error: " + why + "; everything was written to " + target + " (see failures.jsonl); exit "
          + ExitCodes.TOO_MANY_FAILURES);
      return ExitCodes.TOO_MANY_FAILURES;
    }
  }

  /**
   * What the emulator measured on its side during the evaluation (null when no emulator ran): seconds
   * with at least one request in flight, seconds of requests summed, the most requests at once.
   */
  record Endpoint(double busySeconds, double callSeconds, int maxInFlight,
      dev.cltbench.emulator.ModelEmulator.Slowest slowest) {}

  /** Where the tuples come from: made from a benchmark, or read from a recorded study. */
  interface TupleSource {
    PCollection<EvaluationTuple> tuples(Pipeline pipeline);
  }

  static TupleSource of(List<EvaluationTuple> tuples) {
    return p -> p.apply("CreateTuples", Create.of(tuples).withCoder(EvaluationTuple.coder()));
  }

  /**
   * @param expectedTuples how many tuples the source gives (for the progress line; the counts at the
   *     end are measured)
   */
  static Outcome evaluate(EvaluationOptions options, PipelineDefinition definition,
      TupleSource source, long expectedTuples, boolean callsModels, Questions questions, String benchmarkFile, String outputDirectory,
      List<OutputRules.Input> inputs, String command, List<String> notes, StagingHook hook, PrintStream out, PrintStream err,
      Function<String, String> env) throws Exception {
    return evaluate(options, definition, source, expectedTuples, callsModels, questions, benchmarkFile,
        outputDirectory, inputs, command, notes, hook, out, err, env, null);
  }

  /**
   * As above, writing {@code manifest.json}: {@code manifest} makes the run's manifest given the
   * emulator's address (or null); the run adds its times, cache use and counts.
   */
  static Outcome evaluate(EvaluationOptions options, PipelineDefinition definition,
      TupleSource source, long expectedTuples, boolean callsModels, Questions questions, String benchmarkFile, String outputDirectory,
      List<OutputRules.Input> inputs, String command, List<String> notes, StagingHook hook,
      PrintStream out, PrintStream err, Function<String, String> env, Function<String, RunManifest> manifest)
      throws Exception {
    long started = System.nanoTime();
    java.time.Instant startedAt = java.time.Instant.now();
    OutputDirectory.check(outputDirectory, inputs);
    Preflight.checkBeforeCalls(definition, callsModels, expectedTuples, options.getBudgetUsd(), env);
    OutputDirectory output = OutputDirectory.prepare(outputDirectory, command, inputs);
    boolean done = false;
    try (EmulatorForPipeline emulator = EmulatorForPipeline.startIfNeeded(definition)) {
      String staging = output.staging();
      List<String> categories = new ArrayList<>();
      questions.all().forEach(q -> categories.add(q.category()));
      StudyOrder order = new StudyOrder(definition, new ArrayList<>(new LinkedHashSet<>(categories)));
      // Absolute: workers of a cluster resolve a relative path against their own working directory.
      String cache = options.getCache() == null || options.getCache().isEmpty() ? null
          : ReportJob.absoluteIfLocal(options.getCache());
      ModelCalls calls = new ModelCalls(definition, cache, emulator.url(),
          ModelClients.factory(definition)).withBudget(options.getBudgetUsd())
          .withCallLog(RunSpend.logDirectory(staging)); // [cluster] every call counted, wherever it ran
      RunSpend spend = RunSpend.of(staging);
      // Held for the run's length: embedded workers and the progress line share this JVM's ledger.
      try (ModelCalls.LedgerHold hold = calls.holdLedger()) {
        FlinkRestarts.configure(options); // [cluster] restarts after a lost worker
        Pipeline pipeline = Pipeline.create(options);
        PCollection<EvaluationTuple> evaluated = source.tuples(pipeline)
            .apply(new EvaluateTuples(definition, calls));
        evaluated
            .apply("GradedOnly", Filter.by(t -> t.failure() == null))
            .apply(new WriteStudyLayout(definition, staging, order));
        evaluated.apply(new WriteFailures(staging));
        evaluated.apply(new SummarizeCosts(definition, staging, !callsModels));
        PipelineResult result;
        long evaluationStarted = System.nanoTime();
        long cpuStarted = processCpuNanos();
        try (ProgressLine progress = ProgressLine.start(err, spend, expectedTuples,
            options.getProgressSeconds())) {
          result = pipeline.run();
          result.waitUntilFinish();
        }
        double evaluationSeconds = (System.nanoTime() - evaluationStarted) / 1e9;
        double evaluationCpuSeconds = cpuStarted < 0 ? -1 : (processCpuNanos() - cpuStarted) / 1e9;
        Endpoint endpoint = emulator.active() ? new Endpoint(emulator.emulator().busySeconds(),
            emulator.emulator().callSeconds(), emulator.emulator().maxInFlight(),
            emulator.emulator().slowest()) : null;

        // [cluster] costs.csv gains the calls a lost worker made (the log has them, the metrics do not).
        RunSpend.Totals totals = spend.reconcile(staging, definition, result, hold.ledger());
        spend.deleteLog(staging);
        completeLayout(definition, output.staging(), benchmarkFile, questions);
        if (hook != null) {
          hook.accept(output.staging());
        }
        long graded = counter(result, "tuples_graded");
        long failed = counter(result, "tuples_failed");
        long tuplesIn = counter(result, "tuples_in");
        List<String> allNotes = new ArrayList<>();
        if (emulator.active()) {
          allNotes.add(definition.emulator() != null && definition.emulator().replay() != null
              ? "The models and judges of this run were REPLAYED by cltbench's model emulator on 127.0.0.1 "
                  + "from the recorded study " + definition.emulator().replay() + "."
              : "The models and judges of this run were EMULATED by cltbench's model emulator on "
                  + "127.0.0.1: the scores measure the pipeline, not any real model.");
        }
        allNotes.addAll(notes);
        allNotes.add(tuplesIn + " tuples = " + graded + " graded + " + failed
            + " failed (see failures.jsonl); spent " + String.format(Locale.ROOT, "%.4f",
                totals.spentUsd()) + " USD at the pipeline file's prices (tables/costs.csv)"
            + RunSpend.describe(totals) + ".");
        if (manifest != null) {
          RunManifest m = manifest.apply(emulator.url()).withRun(startedAt, java.time.Instant.now(), cache,
              totals.calls(), counter(result, "cache_hits"), tuplesIn, graded, failed);
          StudyCodec.write(staging, "manifest.json", m.toJson());
          allNotes.addAll(RunManifest.summary(m.json()));
        }
        // The report on the study just staged, through the report pipeline's own entry.
        ReportJob.reportInto(options, options.getLanguageId(), definition, staging, output, allNotes);
        output.commit();
        done = true;
        Outcome outcome = new Outcome(tuplesIn, graded, failed, totals.calls(),
            counter(result, "cache_hits"), (System.nanoTime() - started) / 1e9, evaluationSeconds,
            evaluationCpuSeconds, result, output.target(), endpoint);
        out.printf(Locale.ROOT, "written to %s%n", output.target());
        out.printf(Locale.ROOT, "tuples: %d in = %d graded + %d failed%s%n", outcome.tuples(), graded,
            failed, outcome.countsAddUp() ? "" : "  (COUNTS DO NOT ADD UP)");
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("truncated", "no_text", "refused", "budget")) {
          long n = counter(result, "failed_" + kind);
          if (n > 0) {
            kinds.add(n + " " + kind);
          }
        }
        if (!kinds.isEmpty()) {
          out.printf(Locale.ROOT, "failed tuples by kind: %s (truncated: cut at max_tokens, not graded, not "
              + "cached; see failures.jsonl)%n", String.join(", ", kinds));
        }
        out.printf(Locale.ROOT, "model calls: %d made, %d from cache; judgments failed: %d%n",
            outcome.calls(), outcome.cacheHits(), counter(result, "judgments_failed"));
        out.printf(Locale.ROOT, "spent %.4f USD at the pipeline file's prices%s (tables/costs.csv)%s%n",
            totals.spentUsd(), options.getBudgetUsd() == null ? ""
                : String.format(Locale.ROOT, " of a %.2f USD cap; %d calls refused by the cap",
                    options.getBudgetUsd(), hold.ledger().refusedCalls()), RunSpend.describe(totals));
        if (emulator.active()) {
          // [cluster] the endpoint's own count, to compare with costs.csv's calls
          out.printf(Locale.ROOT, "emulator: %d requests received%s%n", emulator.emulator().requests(),
              emulator.emulator().quotaSummary() == null ? "" : "; " + emulator.emulator().quotaSummary());
          out.println("note: models were emulated on 127.0.0.1; see report.html");
        }
        out.printf(Locale.ROOT, "wall time %.1f s%n", outcome.seconds());
        return outcome;
      }
    } finally {
      if (!done) {
        output.abandon();
      }
    }
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
