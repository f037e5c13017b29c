package dev.cltbench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.output.OutputDirectory;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyLayout;
import dev.cltbench.transforms.RunMetric;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.beam.sdk.io.FileSystems;

/**
 * {@code cltbench bench}: the published study's 2,000 answers and 2,000 judge calls replayed over
 * HTTP through the emulator, at the recorded latencies scaled down (100x by default), under the
 * pipeline file's limits, with no cache; and a throughput case, the same calls at one endpoint with a
 * fixed latency and a concurrency well below the number of calls. Prints, per case, the wall time and
 * the endpoint's busy time (measured by the emulator) against the lower bound the limits set, against
 * a one-call-at-a-time runner, and the peak heap.
 */
public final class BenchJob {
  private BenchJob() {}

  /** What the limits allow at best, from the recorded latencies. */
  record Bounds(Map<String, double[]> perBucket /* seconds of calls, concurrency, bound */,
      double longestChainSeconds, double sequentialSeconds, long answerCalls, long judgeCalls) {
    double lowerBound() {
      double b = longestChainSeconds;
      for (double[] v : perBucket.values()) {
        b = Math.max(b, v[2]);
      }
      return b;
    }
  }

  /**
   * Runs the benchmark cases the options select.
   *
   * @return the exit status: the worst of the cases'
   */
  public static int run(BenchOptions options, PrintStream out, PrintStream err, Function<String, String> env)
      throws Exception {
    EvaluationChecks.check(options);
    FileSystems.setDefaultPipelineOptions(options);
    // Every call must reach the emulator: a cache would answer from the last run.
    options.setCache("");
    PipelineDefinition recorded = PipelineDefinition.read(Path.of(pipelineFile(options)));
    String study = options.getStudy();
    StudyLayout.verify(study, recorded);
    String which = options.getBenchCase();
    if (!List.of("replay", "throughput", "both", "external", "all").contains(which)) {
      throw new IllegalArgumentException("--benchCase must be replay, throughput, both, external or all, not "
          + which);
    }
    int exit = 0;
    if (which.equals("external") || which.equals("all")) {
      exit = Math.max(exit, runExternal(options, recorded, study, out, err, env));
      if (which.equals("external")) {
        return exit;
      }
    }
    if (!which.equals("throughput")) {
      PipelineDefinition definition = withJudgeLatency(
          recorded.replayedFrom(study, options.getLatencyScale()), options.getJudgeLatencyMs());
      exit = Math.max(exit, runCase("replay", options, definition, study, options.getLatencyScale(),
          options.getJudgeLatencyMs(), outputDirectory(options), out, err, env));
    }
    if (!which.equals("replay")) {
      // Recorded latencies scaled to 0: every call takes the emulator's fixed latency, at one endpoint.
      PipelineDefinition definition = oneEndpoint(withJudgeLatency(recorded.replayedFrom(study, 0.0),
          options.getThroughputLatencyMs()), options.getThroughputConcurrency());
      exit = Math.max(exit, runCase("throughput", options, definition, study, 0.0,
          options.getThroughputLatencyMs(), outputDirectory(options) + "-throughput", out, err, env));
    }
    return exit;
  }

  private static int runCase(String name, BenchOptions options, PipelineDefinition definition, String study,
      double scale, int fixedLatencyMs, String outputDirectory, PrintStream out, PrintStream err,
      Function<String, String> env) throws Exception {
    Bounds bounds = bounds(definition, study, scale, fixedLatencyMs / 1000.0);
    String benchmark = StudyLayout.questionsFile(study);
    Questions questions = Questions.read(benchmark, definition.languages());
    // The tuples as run makes them, fanned out in the pipeline from the benchmark file: a list given to
    // Create.of is a split source, whose remainder the DirectRunner feeds only when every bundle in
    // flight has finished, so half the tuples would wait for the slowest chain.
    String onWorkers = ReportJob.absoluteIfLocal(benchmark);
    PipelineDefinition asked = definition;
    Evaluation.TupleSource source = p -> p.apply(new dev.cltbench.transforms.ReadBenchmark(onWorkers, asked))
        .apply(new dev.cltbench.transforms.QuestionsToTuples(asked, dev.cltbench.study.StudySubset.all()));
    long tupleCount = RunJob.tupleCount(definition, questions);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    AtomicLong peakHeap = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "cltbench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    LiveEvaluation.Outcome outcome;
    try {
      outcome = LiveEvaluation.evaluate(Evaluation.builder("bench", options)
          .study(definition, questions, benchmark)
          .askedTuples(source, tupleCount)
          .output(outputDirectory, OutputDirectory.inputs("pipeline file", pipelineFile(options), "study directory", study))
          .notes(List.of(name.equals("replay")
              ? "Benchmark: the recorded study replayed at latency scale " + scale + "."
              : "Benchmark: the recorded study's calls at one endpoint, " + fixedLatencyMs + " ms a call."))
          .reportCommand(Evaluation.reportCommand(pipelineFile(options), outputDirectory, options))
          .build(), out, err, env);
    } finally {
      sampler.interrupt();
    }
    print(out, name, bounds, outcome, peakHeap.get(), scale);
    return outcome.exitCode(options.getMaxFailureRate(), outcome.target(), err);
  }

  /** The conditions the external case runs unless --conditions says otherwise: the published direct ones. */
  static final String EXTERNAL_CONDITIONS = "C1,C2,C4";

  /**
   * The external case: the pipeline file's models and judges all pointed at a {@link
   * FixedLatencyServer} this command starts (every call the server's fixed latency, one limits bucket
   * of --throughputConcurrency), its conditions C1, C2 and C4 over the study's questions, no cache;
   * prints the server's busy time and the whole command's wall time against requests x latency /
   * concurrency, the best any client could do.
   */
  private static int runExternal(BenchOptions options, PipelineDefinition recorded, String study, PrintStream out,
      PrintStream err, Function<String, String> env) throws Exception {
    long started = System.nanoTime();
    int latencyMs = options.getThroughputLatencyMs();
    int concurrency = options.getThroughputConcurrency();
    java.util.Set<String> judges = new java.util.HashSet<>();
    recorded.panel().forEach(j -> judges.add(j.modelId()));
    String outputDirectory = outputDirectory(options) + "-external";
    Path pointedFile = Files.createTempFile("cltbench-bench-external-", ".json");
    try (FixedLatencyServer server = FixedLatencyServer.start(latencyMs, judges, recorded.rubric())) {
      com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
          new ObjectMapper().readTree(Path.of(pipelineFile(options)).toFile());
      List<JsonNode> specs = new java.util.ArrayList<>();
      root.path("models").forEach(specs::add);
      root.path("judges").forEach(specs::add);
      if (root.has("judge")) {
        specs.add(root.get("judge"));
      }
      for (JsonNode m : specs) {
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) m;
        // An OpenAI-compatible local server, as a user's own: no key, no provider-only fields.
        o.put("provider", "openai").put("base_url", server.baseUrl());
        for (String providerOnly : List.of("api_key_env", "api_version", "thinking", "route")) {
          o.remove(providerOnly);
        }
      }
      root.remove("emulator");
      Files.writeString(pointedFile, new ObjectMapper().writeValueAsString(root));
      PipelineDefinition pointed = PipelineDefinition.read(pointedFile);
      String benchmark = StudyLayout.questionsFile(study);
      Questions questions = Questions.read(benchmark, pointed);
      dev.cltbench.study.StudySubset subset = dev.cltbench.study.StudySubset.resolve(dev.cltbench.study.StudySubset.parse(
          options.getModels(), options.getConditions() != null ? options.getConditions() : EXTERNAL_CONDITIONS,
          options.getQuestions(), options.getLimit()), pointed, questions);
      PipelineDefinition definition = oneEndpoint(subset.apply(pointed), concurrency);
      Questions asked = questions.restrictTo(subset::includesQuestion);
      String onWorkers = ReportJob.absoluteIfLocal(benchmark);
      Evaluation.TupleSource source = p -> p.apply(new dev.cltbench.transforms.ReadBenchmark(onWorkers, definition))
          .apply(new dev.cltbench.transforms.QuestionsToTuples(definition, subset));
      String load = loadAverage();
      LiveEvaluation.Outcome outcome = LiveEvaluation.evaluate(Evaluation.builder("bench", options)
          .study(definition, asked, benchmark)
          .askedTuples(source, RunJob.tupleCount(definition, asked))
          .output(outputDirectory, OutputDirectory.inputs("pipeline file", pipelineFile(options), "study directory", study))
          .notes(List.of("Benchmark: the pipeline file's conditions " + EXTERNAL_CONDITIONS + " against an "
              + "OpenAI-compatible server on 127.0.0.1 started by the benchmark, " + latencyMs + " ms a request."))
          .reportCommand(Evaluation.reportCommand(pipelineFile(options), outputDirectory, options))
          .build(), out, err, env);
      double whole = (System.nanoTime() - started) / 1e9;
      long requests = server.requests();
      double bound = requests * latencyMs / 1000.0 / concurrency;
      out.println();
      out.printf(Locale.ROOT, "bench external: %d requests to an OpenAI-compatible server on 127.0.0.1 (not the "
          + "emulator), %d ms each, concurrency %d; load average before: %s%n", requests, latencyMs, concurrency, load);
      out.printf(Locale.ROOT, "  bound = requests x latency / concurrency:  %.1f s%n", bound);
      out.printf(Locale.ROOT, "  endpoint busy time (server side):          %.1f s   = %.2fx the bound (target <= 1.10x)%n",
          server.busySeconds(), server.busySeconds() / bound);
      out.printf(Locale.ROOT, "  first request to last reply:               %.1f s   = %.2fx; at most %d requests at once%n",
          server.spanSeconds(), server.spanSeconds() / bound, server.maxInFlight());
      out.printf(Locale.ROOT, "  evaluation wall time (calls):              %.1f s   = %.2fx%n",
          outcome.evaluationSeconds(), outcome.evaluationSeconds() / bound);
      out.printf(Locale.ROOT, "  whole command wall time (with report):     %.1f s   = %.2fx the bound (target <= 1.5x)%n",
          whole, whole / bound);
      long[] firstLast = server.firstAndLastNanos();
      long ended = System.nanoTime();
      out.printf(Locale.ROOT, "  where the rest went: %.1f s from the command's start to the first request; %.1f s "
          + "from the last reply to the study committed; %.1f s the report and its commit%n",
          (firstLast[0] - started) / 1e9, (ended - firstLast[1]) / 1e9 - outcome.reportSeconds(),
          outcome.reportSeconds());
      out.printf(Locale.ROOT, "  bundles reaching the calling DoFn: %s; chains in flight per DoFn when one starts: %s%n",
          distribution(outcome.result(), RunMetric.BUNDLE_TUPLES), distribution(outcome.result(), RunMetric.CHAINS_IN_FLIGHT));
      out.printf(Locale.ROOT, "  tuples: %d = %d graded + %d failed; load average after: %s%n", outcome.tuples(),
          outcome.graded(), outcome.failed(), loadAverage());
      return outcome.exitCode(options.getMaxFailureRate(), outcome.target(), err);
    } finally {
      Files.deleteIfExists(pointedFile);
    }
  }

  /** The 1, 5 and 15 minute load averages (Linux), for figures taken on a shared machine. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** Every model and judge in one limits bucket of {@code concurrency} calls in flight. */
  static PipelineDefinition oneEndpoint(PipelineDefinition d, int concurrency) {
    PipelineDefinition.Limit first = d.limit(d.models().get(0));
    return d.withLimitGroups(m -> "bench-one-endpoint", Map.of("bench-one-endpoint",
        new PipelineDefinition.Limit(concurrency, 0, 0, first.maxAttempts(), first.timeoutSeconds())));
  }

  static PipelineDefinition withJudgeLatency(PipelineDefinition d, int ms) {
    PipelineDefinition.EmulatorSettings e = d.emulator();
    return new PipelineDefinition(d.name(), d.description(), d.languages(), d.families(), d.models(),
        d.conditions(), d.transferMarkers(), d.judge(), d.rubric(), d.statistics(), d.benchmark(),
        d.judges(), d.prompts(), d.limits(),
        new PipelineDefinition.EmulatorSettings(ms, e.replay(), e.latencyScale(), e.faultRate(), e.seed(), e.refuseModels()),
        d.epochs(), d.scorer(), d.benchmarkFields(), d.budgetUsd());
  }

  /**
   * The bounds the pipeline file's limits set on replaying the study at {@code scale}; {@code
   * judgeSeconds} is the emulator's fixed latency, the judges' whole latency.
   */
  static Bounds bounds(PipelineDefinition d, String study, double scale, double judgeSeconds) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, double[]> buckets = new TreeMap<>();
    double longest = 0;
    double sequential = 0;
    long answers = 0;
    long judges = 0;
    for (PipelineDefinition.Condition c : d.conditions()) {
      for (ModelSpec m : d.models()) {
        JsonNode root = dev.cltbench.study.StudyCodec.readJson(dev.cltbench.study.StudyCodec.results(study, c.directory(), m.name()));
        for (JsonNode r : root.get("responses")) {
          // The emulator adds its fixed latency to every reply, the recorded one scaled.
          double answer = r.get("response_time_seconds").asDouble() * scale + judgeSeconds;
          add(buckets, d, m, answer);
          double chain = answer;
          answers++;
          for (ModelSpec j : d.panel()) {
            add(buckets, d, j, judgeSeconds);
            judges++;
            sequential += judgeSeconds;
          }
          chain += d.panel().isEmpty() ? 0 : judgeSeconds; // the panel's judges run side by side
          sequential += answer;
          longest = Math.max(longest, chain);
        }
      }
    }
    buckets.values().forEach(v -> v[2] = v[0] / v[1]);
    return new Bounds(buckets, longest, sequential, answers, judges);
  }

  private static void add(Map<String, double[]> buckets, PipelineDefinition d, ModelSpec m, double seconds) {
    double[] v = buckets.computeIfAbsent(m.limitKey(), k -> new double[] {0, d.limit(m).concurrency(), 0});
    v[0] += seconds;
  }

  static void print(PrintStream out, String name, Bounds b, LiveEvaluation.Outcome o, long peakHeapBytes,
      double scale) {
    out.println();
    out.printf(Locale.ROOT, "bench %s: %d answer calls + %d judge calls replayed over HTTP at latency scale %s%n",
        name, b.answerCalls(), b.judgeCalls(), scale);
    out.printf(Locale.ROOT, "  %-55s %10s %6s %10s%n", "limits bucket", "latency s", "conc.", "bound s");
    b.perBucket().forEach((k, v) -> out.printf(Locale.ROOT, "  %-55s %10.1f %6.0f %10.1f%n", k, v[0], v[1], v[2]));
    out.printf(Locale.ROOT, "  longest single chain (answer + judge): %.1f s%n", b.longestChainSeconds());
    double bound = b.lowerBound();
    out.printf(Locale.ROOT, "  lower bound set by the limits:          %.1f s%n", bound);
    out.printf(Locale.ROOT, "  evaluation wall time (calls):           %.1f s   = %.2fx the lower bound (target <= 1.25x)%n",
        o.evaluationSeconds(), o.evaluationSeconds() / bound);
    if (o.endpoint() != null) {
      // Measured by the emulator: from the first request it admitted to the last reply, minus idle gaps.
      out.printf(Locale.ROOT, "  endpoint busy time (emulator side):     %.1f s   = %.2fx the lower bound (target <= 1.10x)%n",
          o.endpoint().busySeconds(), o.endpoint().busySeconds() / bound);
      out.printf(Locale.ROOT, "  requests in flight: at most %d at once, %.1f s of requests in all%n",
          o.endpoint().maxInFlight(), o.endpoint().callSeconds());
      if (o.endpoint().slowest() != null) {
        // The time from the first request, as the emulator saw it.
        var s = o.endpoint().slowest();
        out.printf(Locale.ROOT, "  slowest request: admitted %.1f s after the first, took %.1f s; last reply at %.1f s%n",
            s.admittedAfterSeconds(), s.seconds(), s.lastReplyAfterSeconds());
      }
    }
    out.printf(Locale.ROOT, "  call latency seen by the client (ms): %s; process CPU during the evaluation: %.1f s "
        + "(%d cores)%n", distribution(o.result(), RunMetric.CALL_LATENCY_MS), o.evaluationCpuSeconds(),
        Runtime.getRuntime().availableProcessors());
    out.printf(Locale.ROOT, "  bundles reaching the calling DoFn: %s; chains in flight per DoFn when one starts: %s%n",
        distribution(o.result(), RunMetric.BUNDLE_TUPLES), distribution(o.result(), RunMetric.CHAINS_IN_FLIGHT));
    out.printf(Locale.ROOT, "  whole command wall time (with report):  %.1f s%n", o.seconds());
    out.printf(Locale.ROOT, "  one-call-at-a-time runner would need:   %.1f s   = %.1fx our evaluation wall time%n",
        b.sequentialSeconds(), b.sequentialSeconds() / o.evaluationSeconds());
    out.printf(Locale.ROOT, "  peak heap used: %.0f MiB (sampled every 20 ms); peak RSS: %s%n",
        peakHeapBytes / 1048576.0, peakRss());
    out.printf(Locale.ROOT, "  tuples: %d = %d graded + %d failed%n", o.tuples(), o.graded(), o.failed());
  }

  /** A run distribution as "n N, min..max, mean M", summed over steps. */
  static String distribution(org.apache.beam.sdk.PipelineResult result, RunMetric metric) {
    long count = 0;
    long sum = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (org.apache.beam.sdk.metrics.MetricResult<org.apache.beam.sdk.metrics.DistributionResult> d
        : result.metrics().queryMetrics(org.apache.beam.sdk.metrics.MetricsFilter.builder()
            .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.named(RunMetric.NAMESPACE,
                metric.metricName().getName())).build())
            .getDistributions()) {
      var v = RunMetric.finished(d);
      count += v.getCount();
      sum += v.getSum();
      min = Math.min(min, v.getMin());
      max = Math.max(max, v.getMax());
    }
    return count == 0 ? "none" : String.format(Locale.ROOT, "n %d, %d..%d, mean %.1f", count, min, max,
        (double) sum / count);
  }

  /** VmHWM of this process (Linux), the most resident memory it ever had. */
  static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring(6).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: say so below
    }
    return "n/a";
  }

  static String pipelineFile(BenchOptions options) {
    return options.getPipeline() != null ? options.getPipeline() : BenchOptions.DEFAULT_PIPELINE;
  }

  static String outputDirectory(BenchOptions options) {
    return options.getOutput() != null ? options.getOutput() : BenchOptions.DEFAULT_OUTPUT;
  }
}
