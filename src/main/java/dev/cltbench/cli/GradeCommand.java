package dev.cltbench.cli;

import dev.cltbench.pipelines.GradeJob;
import dev.cltbench.pipelines.GradeOptions;
import dev.cltbench.study.PublishedStudy;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code cltbench grade}: re-grades the recorded responses of a study (for example the published
 * 2,000) with a new judge or panel, writes the new grades in the study layout, keeps the recorded
 * grades as the rater {@code recorded}, and reports every judge's agreement with them.
 */
final class GradeCommand implements Main.Command {
  @Override
  public String summary() {
    return "re-grade recorded responses with a new judge or panel; agreement with the recorded grades";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench grade [--pipeline=FILE] [--study=DIR] [--judges=panel.json]");
    out.println("                        [--output=DIR] [--cache=DIR] [--replay=STUDY_DIR] [--runner=...]");
    out.println("                        [--models=a,b] [--conditions=C1,C3] [--questions=1,4,10-20] [--limit=N]");
    out.println("                        [--epochs=K (the recorded study's)] [--dryRun]");
    out.println("                        [--human=FILE [--humanKey=key.csv]]");
    out.println();
    out.println("Judges every recorded answer of the study again (no model is asked anything), with the");
    out.println("pipeline file's judge panel or the one in --judges, and writes tables/judge_agreement.csv:");
    out.println("each judge against the recorded grades (rater 'recorded') and against each other.");
    out.println("--human adds a person's grades of a review sample (./cltbench review-sample) as the rater");
    out.println("'human': the table then gives every judge's agreement with the person per criterion,");
    out.println("over the responses the person graded.");
    out.println();
    PipelineOptionsFactory.register(GradeOptions.class);
    PipelineOptionsFactory.printHelp(out, GradeOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return run(args, out, err, System::getenv);
  }

  int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) throws Exception {
    PipelineOptionsFactory.register(GradeOptions.class);
    GradeOptions options = PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args, true)).withValidation().as(GradeOptions.class);
    PublishedStudy.requireDirectory(options.getStudy());
    return GradeJob.run(options, List.of(args), out, err, env);
  }
}
