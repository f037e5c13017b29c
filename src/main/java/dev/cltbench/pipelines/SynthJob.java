package dev.cltbench.pipelines;

import dev.cltbench.synth.SynthOptions;
import dev.cltbench.synth.SyntheticStudy;
import java.io.PrintStream;
import java.util.Locale;
import dev.cltbench.output.OutputDirectory;

/** {@code cltbench synth}: a study N times the published one's size, for scale measurements. */
public final class SynthJob {
  private SynthJob() {}

  /**
   * Writes the synthetic study the options ask for.
   *
   * @return the exit status
   */
  public static int run(SynthOptions options, PrintStream out, PrintStream err) throws Exception {
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
