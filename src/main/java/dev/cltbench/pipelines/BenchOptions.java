package dev.cltbench.pipelines;

import dev.cltbench.study.PublishedStudy;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code cltbench bench}. */
public interface BenchOptions extends EvaluationOptions {
  @Description("Pipeline definition whose models, judge and limits are benchmarked."
      + " Default: pipelines/left-behind.json.")
  String getPipeline();

  void setPipeline(String value);

  @Description("Recorded study whose responses, grades and latencies the emulator replays."
      + " Default: $CLTBENCH_STUDY, else ../shared/left-behind-clt (the published study).")
  @Default.InstanceFactory(PublishedStudy.CLTBENCH_STUDY.class)
  String getStudy();

  void setStudy(String value);

  @Description("Milliseconds the emulated judge takes per call (the study did not record judge latency).")
  @Default.Integer(30)
  int getJudgeLatencyMs();

  void setJudgeLatencyMs(int value);

  @Description("Which cases to run: replay (the study at its recorded latencies under the file's limits), "
      + "throughput (every call to one endpoint of the emulator at a fixed latency), both (those two), "
      + "external (the file's C1, C2, C4 against an OpenAI-compatible server the benchmark starts, not the "
      + "emulator: --throughputLatencyMs a request, --throughputConcurrency in flight), or all.")
  @Default.String("both")
  String getBenchCase();

  void setBenchCase(String value);

  @Description("Throughput case: milliseconds every call takes at the one endpoint.")
  @Default.Integer(100)
  int getThroughputLatencyMs();

  void setThroughputLatencyMs(int value);

  @Description("Throughput case: calls the one endpoint allows in flight.")
  @Default.Integer(16)
  int getThroughputConcurrency();

  void setThroughputConcurrency(int value);

  @Description("Output directory of the benchmark's run (the throughput case writes beside it, with "
      + "-throughput appended)."
      + " Default: output/bench.")
  String getOutput();

  void setOutput(String value);

  /**
   * Defaults kept out of the annotations: Beam rejects one property with different defaults in two
   * registered options interfaces, and tests run several commands in one JVM.
   */
  String DEFAULT_PIPELINE = "pipelines/left-behind.json";

  String DEFAULT_OUTPUT = "output/bench";
}
