package dev.cltbench.cli;

import dev.cltbench.pipelines.ReportJob;
import dev.cltbench.pipelines.ReportOptions;
import dev.cltbench.study.PublishedStudy;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** {@code cltbench report}: tables, statistics, figures and a report from a study's recorded data. */
final class ReportCommand implements Main.Command {
  @Override
  public String summary() {
    return "tables, statistics and an HTML report from recorded results and grades";
  }

  @Override
  public void help(PrintStream out) {
    out.println("usage: ./cltbench report [--pipeline=FILE] [--study=DIR] [--output=DIR] [--runner=...]");
    out.println("                         [--models=a,b] [--conditions=C1,C3] [--questions=1,4,10-20] [--limit=N]");
    out.println();
    out.println("Reads DIR/results and DIR/grades of a study (the published study's layout), joins them");
    out.println("per (condition, model, question) and writes OUTPUT/tables/*.{csv,md,tex},");
    out.println("OUTPUT/responses.jsonl and OUTPUT/report.html. The output appears only when the run");
    out.println("succeeds; bad input exits with status 2 naming the file, record and field.");
    out.println();
    PipelineOptionsFactory.register(ReportOptions.class);
    PipelineOptionsFactory.printHelp(out, ReportOptions.class);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    PipelineOptionsFactory.register(ReportOptions.class);
    ReportOptions options = PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args)).withValidation().as(ReportOptions.class);
    PublishedStudy.requireDirectory(options.getStudy());
    return ReportJob.run(options, List.of(args), out, err, System::getenv);
  }
}
