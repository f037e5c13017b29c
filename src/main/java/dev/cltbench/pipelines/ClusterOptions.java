package dev.cltbench.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How a job survives a lost worker on Flink ({@code run}, {@code grade}, {@code bench}, {@code report}). */
public interface ClusterOptions extends PipelineOptions {
  @Description("FlinkRunner: times a job is restarted after a failure (a lost TaskManager) before it "
      + "fails; set in the job's own configuration, whatever the cluster's says. A restarted job repeats "
      + "no cached call. Attempts x delay should outlast the cluster's heartbeat timeout (Flink's default "
      + "50 s): until then the JobManager may place the restarted tasks on the lost TaskManager. 0: no restart.")
  @Default.Integer(10)
  int getFlinkRestartAttempts();

  void setFlinkRestartAttempts(int value);

  @Description("FlinkRunner: seconds between a failure and the job's restart.")
  @Default.Integer(10)
  int getFlinkRestartDelaySeconds();

  void setFlinkRestartDelaySeconds(int value);
}
