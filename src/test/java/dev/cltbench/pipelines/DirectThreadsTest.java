package dev.cltbench.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The report after a run's calls runs on the DirectRunner's own thread count, unless the user chose one. */
class DirectThreadsTest {
  private static final int BEAMS_OWN = Math.max(3, Runtime.getRuntime().availableProcessors());

  @Test
  void theCallsThreadCountGoesBackToTheRunnersOwn() {
    RunOptions o = PipelineOptionsFactory.fromArgs("--targetParallelism=" + DirectThreads.forCalls())
        .as(RunOptions.class);
    DirectThreads.forReport(o);
    assertEquals(BEAMS_OWN, o.as(DirectOptions.class).getTargetParallelism());
  }

  @Test
  void aCountTheUserChoseIsKept() {
    RunOptions o = PipelineOptionsFactory.fromArgs("--targetParallelism=7").as(RunOptions.class);
    DirectThreads.forReport(o);
    assertEquals(7, o.as(DirectOptions.class).getTargetParallelism());
  }

  @Test
  void otherRunnersAreLeftAlone() {
    RunOptions o = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner",
        "--targetParallelism=" + DirectThreads.forCalls()).as(RunOptions.class);
    DirectThreads.forReport(o);
    assertEquals(DirectThreads.forCalls(), o.as(DirectOptions.class).getTargetParallelism());
  }
}
