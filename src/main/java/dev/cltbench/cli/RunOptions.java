package dev.cltbench.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code cltbench run}. */
public interface RunOptions extends EvaluationOptions {
  @Description("Pipeline definition (JSON): languages, models, conditions, judges, limits.")
  @Default.String("pipelines/quickstart.json")
  String getPipeline();

  void setPipeline(String value);

  @Description("Benchmark questions (questions.json schema); default: the pipeline file's benchmark.")
  String getBenchmark();

  void setBenchmark(String value);

  @Description("Output directory: results/, grades/, judges/, failures.jsonl, tables/, report.html.")
  @Default.String("output/quickstart")
  String getOutput();

  void setOutput(String value);
}
