package dev.cltbench.cli;

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
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** {@code cltbench review-sample}: a stratified, seeded sample of graded responses for people to grade. */
final class ReviewSampleCommand implements Main.Command {
  @Override
  public String summary() {
    return "a stratified sample of responses as CSV and an offline form, for people to grade";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench review-sample --output=DIR [--study=DIR] [--pipeline=FILE] [--n=100]");
    out.println("                               [--stratify=condition,model] [--seed=S]");
    out.println();
    out.println("Draws --n graded responses of the study, stratified (each stratum in proportion to its");
    out.println("size) and seeded, and writes DIR/review.csv and DIR/review.html (question, reference");
    out.println("answer, the graded answer and the rubric; no model, condition or judge score; ids in a");
    out.println("random order) and DIR/key.csv (which response each id is). The form keeps a person's");
    out.println("grades in the browser and exports them as CSV for ./cltbench grade --human=FILE.");
    out.println();
    PipelineOptionsFactory.register(ReviewSampleOptions.class);
    PipelineOptionsFactory.printHelp(out, ReviewSampleOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    PipelineOptionsFactory.register(ReviewSampleOptions.class);
    ReviewSampleOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(ReviewSampleOptions.class);
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
    String study = ReportCommand.absoluteIfLocal(options.getStudy());
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
