package dev.cltbench.cli;

import dev.cltbench.pipelines.ReviewSampleJob;
import dev.cltbench.pipelines.ReviewSampleOptions;
import dev.cltbench.study.PublishedStudy;
import java.io.PrintStream;
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
    PublishedStudy.requireDirectory(options.getStudy());
    return ReviewSampleJob.run(options, out, err);
  }
}
