package dev.cltbench.pipelines;

import dev.cltbench.output.OutputDirectory;
import dev.cltbench.review.ReviewFiles;
import dev.cltbench.review.ReviewSample;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyLayout;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;

/** {@code cltbench review-sample}: a stratified, seeded sample of graded responses for people to grade. */
public final class ReviewSampleJob {
  private ReviewSampleJob() {}

  /**
   * Draws the review sample the options ask for and writes it to their output.
   *
   * @return the exit status
   */
  public static int run(ReviewSampleOptions options, PrintStream out, PrintStream err) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    String pipeline = options.getPipeline() != null ? options.getPipeline() : ReportOptions.DEFAULT_PIPELINE;
    List<dev.cltbench.output.OutputRules.Input> inputs = OutputDirectory.inputs(
        "pipeline file", pipeline, "study directory", options.getStudy());
    if (options.getOutput() != null && options.getOutput().contains("://")) {
      // The offline form and key are for people at this machine: a local directory.
      throw new dev.cltbench.output.UnsafeOutputException("--output of review-sample must be a local directory: "
          + options.getOutput());
    }
    OutputDirectory.check(options.getOutput(), inputs);
    List<String> strata = Arrays.stream(options.getStratify().split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
    PipelineDefinition definition = PipelineDefinition.read(Path.of(pipeline));
    String study = ReportJob.absoluteIfLocal(options.getStudy());
    StudyLayout.verify(study, definition);
    Questions questions = Questions.read(StudyLayout.questionsFile(study), definition.languages());
    // Everything is read and drawn before the output is touched: bad input leaves nothing behind.
    List<ReviewSample.Item> sample = ReviewSample.draw(study, definition, questions, options.getN(),
        strata, options.getSeed());
    OutputDirectory output = OutputDirectory.prepare(options.getOutput(), "review-sample", inputs);
    boolean done = false;
    try {
      ReviewFiles.write(Path.of(output.staging()), sample, definition, String.join(",", strata), options.getSeed(),
          ReviewFiles.answerSheet(study));
      output.commit();
      done = true;
    } finally {
      if (!done) {
        output.abandon();
      }
    }
    out.println("review sample of " + sample.size() + " responses written to " + output.target());
    out.println("  give the rater " + ReviewFiles.FORM + " (or " + ReviewFiles.SAMPLE + "); keep "
        + ReviewFiles.KEY + " for ./cltbench grade --human=FILE --humanKey=" + Path.of(output.target()).resolve(ReviewFiles.KEY));
    return 0;
  }
}
