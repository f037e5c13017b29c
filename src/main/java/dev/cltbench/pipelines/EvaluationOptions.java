package dev.cltbench.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options shared by the commands that call models ({@code run}, {@code grade}). There is deliberately
 * no option for API keys: Beam ships options to workers and shows them in runner UIs, so keys are read
 * from the environment variables the pipeline file names, on the workers.
 */
public interface EvaluationOptions extends SubsetOptions, ClusterOptions {
  @Description("Response cache directory (any Beam filesystem path); a re-run makes no call that "
      + "is cached. Empty to disable.")
  @Default.String("output/.cache")
  String getCache();

  void setCache(String value);

  @Description("Ignored, kept so existing command lines still parse: calls are no longer grouped in "
      + "shards; every worker keeps as many calls in flight as the pipeline file's limits allow.")
  @Default.Integer(4)
  int getShards();

  void setShards(int value);

  @Description("Budget cap in USD at the pipeline file's prices: a call whose worst case (its prompt, "
      + "and max_tokens out) would pass the cap is not made and its tuple lands in failures.jsonl.")
  Double getBudgetUsd();

  void setBudgetUsd(Double value);

  @Description("Replay a recorded study directory instead of calling the models: every model and judge "
      + "is served by the emulator on 127.0.0.1 with the recorded responses and grades.")
  String getReplay();

  void setReplay(String value);

  @Description("With --replay: recorded latencies are multiplied by this (0.01 = 100x faster).")
  @Default.Double(0.01)
  double getLatencyScale();

  void setLatencyScale(double value);

  @Description("Largest share of tuples that may end in failures.jsonl for exit status 0; above it the "
      + "run still writes everything it has and exits 3. Every tuple failed is exit 3 whatever this is.")
  @Default.Double(0.05)
  double getMaxFailureRate();

  void setMaxFailureRate(double value);

  @Description("Seconds between progress lines on stderr (0 for none).")
  @Default.Integer(5)
  int getProgressSeconds();

  void setProgressSeconds(int value);

  @Description("Plan only: read and check everything a real run would, make no model call and write "
      + "nothing; print the calls per stage and provider, what the cache holds, estimated tokens and "
      + "cost, the lower bound on wall time, and whether --budgetUsd would be reached.")
  @Default.Boolean(false)
  boolean getDryRun();

  void setDryRun(boolean value);

  @Description("With --dryRun: a recorded study directory whose answer lengths, judge notes and "
      + "latencies the estimates go by (default: the --replay study, or for grade the study itself).")
  String getLengthsFrom();

  void setLengthsFrom(String value);

  @Description("Identify the language of every evaluated text (adds language.csv and per-response "
      + "language fields).")
  @Default.Boolean(true)
  boolean getLanguageId();

  void setLanguageId(boolean value);
}
