package dev.cltbench.cli;

import dev.cltbench.pipelines.BenchJob;
import dev.cltbench.pipelines.BenchOptions;
import dev.cltbench.study.PublishedStudy;
import java.io.PrintStream;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code cltbench bench}: the published study's calls replayed over HTTP through the emulator, and a
 * throughput case at one endpoint; wall and busy time against the bound the limits set.
 */
final class BenchCommand implements Main.Command {
  @Override
  public String summary() {
    return "benchmark: replay the published study's calls at scaled latencies; wall vs lower bound";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench bench [--pipeline=FILE] [--study=DIR] [--latencyScale=0.01]");
    out.println("                        [--judgeLatencyMs=30] [--benchCase=both|replay|throughput]");
    out.println("                        [--throughputLatencyMs=100] [--throughputConcurrency=16]");
    out.println("                        [--output=DIR] [--runner=...]");
    out.println();
    out.println("replay: the study's calls at their recorded latencies (scaled) under the file's limits.");
    out.println("throughput: the same calls, every one at one endpoint taking a fixed latency, so the bound");
    out.println("is calls x latency / concurrency. Busy time: the emulator's time with a request in flight.");
    out.println();
    out.println("Lower bound: per limits bucket, the bucket's total call latency / its concurrency, and the");
    out.println("longest single chain of calls (answer then judge); the largest of these. Sequential: the");
    out.println("sum of all call latencies, as a one-call-at-a-time runner would need.");
    out.println();
    PipelineOptionsFactory.register(BenchOptions.class);
    PipelineOptionsFactory.printHelp(out, BenchOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return run(args, out, err, System::getenv);
  }

  int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) throws Exception {
    PipelineOptionsFactory.register(BenchOptions.class);
    BenchOptions options = PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args, true)).withValidation().as(BenchOptions.class);
    PublishedStudy.requireDirectory(options.getStudy());
    return BenchJob.run(options, out, err, env);
  }
}
