package dev.cltbench.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of {@code cltbench run}. There is deliberately no option for API keys: Beam ships options to
 * workers and shows them in runner UIs, so keys are read from the environment variables the pipeline
 * file names, on the workers.
 */
public interface RunOptions extends PipelineOptions {
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

  @Description("Response cache directory (any Beam filesystem path); a re-run makes no call that "
      + "is cached. Empty to disable.")
  @Default.String("output/.cache")
  String getCache();

  void setCache(String value);

  @Description("Shards the tuples are spread over; each shard runs its tuples' calls concurrently.")
  @Default.Integer(4)
  int getShards();

  void setShards(int value);
}
