package dev.cltbench.cli;

import dev.cltbench.pipelines.RunJob;
import dev.cltbench.pipelines.RunOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

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
    out.println("                      [--models=a,b] [--conditions=C1,C3] [--questions=1,4,10-20] [--limit=N]");
    out.println("                      [--epochs=K] [--dryRun]");
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
    RunOptions options = PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args, true)).withValidation().as(RunOptions.class);
    return RunJob.run(options, List.of(args), out, err, env);
  }
}
