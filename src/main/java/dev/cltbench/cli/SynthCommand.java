package dev.cltbench.cli;

import dev.cltbench.pipelines.SynthJob;
import dev.cltbench.study.PublishedStudy;
import dev.cltbench.synth.SynthOptions;
import java.io.PrintStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** {@code cltbench synth}: a study N times the published one's size, for scale measurements. */
final class SynthCommand implements Main.Command {
  @Override
  public String summary() {
    return "a synthetic study N times the published one (same layout), sampled from it";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench synth --scale=N --output=DIR [--seed=S] [--study=DIR]");
    out.println();
    out.println("Writes DIR/benchmark/questions.json (N x the study's questions), DIR/results/<condition>/");
    out.println("<model>.json and DIR/grades/<condition>.csv in the published study's schemas. Each");
    out.println("response is a real response of the same condition and model with its real grade,");
    out.println("drawn by seed, so lengths and score distributions match the real study's.");
    out.println();
    PipelineOptionsFactory.register(SynthOptions.class);
    PipelineOptionsFactory.printHelp(out, SynthOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    PipelineOptionsFactory.register(SynthOptions.class);
    SynthOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(SynthOptions.class);
    PublishedStudy.requireDirectory(options.getStudy());
    return SynthJob.run(options, out, err);
  }
}
