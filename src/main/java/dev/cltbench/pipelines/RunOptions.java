package dev.cltbench.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code cltbench run}. */
public interface RunOptions extends EvaluationOptions {
  @Description("Pipeline definition (JSON): languages, models, conditions, judges, limits."
      + " Default: pipelines/quickstart.json.")
  String getPipeline();

  void setPipeline(String value);

  @Description("Benchmark questions (questions.json schema); default: the pipeline file's benchmark.")
  String getBenchmark();

  void setBenchmark(String value);

  @Description("Provider batch APIs (openai, anthropic, gemini: about half the price, answers within "
      + "hours): true for every model and judge (an error names any provider without one), auto for "
      + "those whose provider has one, false for none; unset, each entry's own \"batch\" field decides. "
      + "Batches are recorded beside the response cache (--cache, which must not be empty): rerun the same "
      + "command to resume.")
  String getBatch();

  void setBatch(String value);

  @Description("Output directory: results/, grades/, judges/, failures.jsonl, tables/, report.html."
      + " Default: output/<pipeline file name without .json>.")
  String getOutput();

  void setOutput(String value);

  /**
   * Defaults kept out of the annotations: Beam rejects one property with different defaults in two
   * registered options interfaces, and tests run several commands in one JVM.
   */
  String DEFAULT_PIPELINE = "pipelines/quickstart.json";
}
