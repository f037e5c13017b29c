package dev.cltbench.cli;

import dev.cltbench.synth.SynthOptions;
import dev.cltbench.synth.SyntheticStudy;
import java.io.PrintStream;
import java.util.Locale;
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
    org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(options);
    if (options.getScale() < 1) {
      throw new IllegalArgumentException("--scale must be at least 1, got " + options.getScale());
    }
    String study = options.getStudy();
    if (dev.cltbench.study.StudyCodec.match(dev.cltbench.study.StudyLayout.resultsPattern(study)).isEmpty()) {
      throw new IllegalArgumentException("--study=" + study + " has no results/<condition>/<model>.json");
    }
    long started = System.nanoTime();
    OutputDirectory output = OutputDirectory.prepare(options.getOutput(), "synth",
        OutputDirectory.inputs("study directory", options.getStudy()));
    boolean done = false;
    try {
      long n = SyntheticStudy.load(study).write(output.staging().toString(), options.getScale(), options.getSeed());
      output.commit();
      done = true;
      out.printf(Locale.ROOT, "synthetic study (scale %d, seed %d): %d responses in %s (%.1f s)%n",
          options.getScale(), options.getSeed(), n, output.target(), (System.nanoTime() - started) / 1e9);
      return 0;
    } finally {
      if (!done) {
        output.abandon();
      }
    }
  }
}
