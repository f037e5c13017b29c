package dev.cltbench.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's own restart strategy, as Flink itself reads the conf directory the launcher writes. */
class FlinkRestartsTest {
  @TempDir Path tmp;

  @Test
  void aFlinkJobCarriesItsRestartStrategyAndKeepsTheUsersConf() throws Exception {
    Path mine = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(mine.resolve("flink-conf.yaml"), "parallelism.default: 3\n");
    RunOptions o = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkConfDir=" + mine,
        "--flinkRestartAttempts=5", "--flinkRestartDelaySeconds=7").as(RunOptions.class);
    assertEquals(FlinkRunner.class, o.getRunner());
    FlinkRestarts.configure(o);
    FlinkPipelineOptions flink = o.as(FlinkPipelineOptions.class);
    assertTrue(flink.getUseDataStreamForBatch(), "the translation that carries a job's configuration");
    Configuration c = GlobalConfiguration.loadConfiguration(flink.getFlinkConfDir());
    assertEquals("fixed-delay", c.toMap().get("restart-strategy.type"));
    assertEquals("5", c.toMap().get("restart-strategy.fixed-delay.attempts"));
    assertEquals("7 s", c.toMap().get("restart-strategy.fixed-delay.delay"));
    assertEquals("3", c.toMap().get("parallelism.default"), "the user's own conf is kept");
    assertEquals("false", c.toMap().get("execution.batch.adaptive.auto-parallelism.enabled"),
        "every stage at the job's parallelism, not one subtask for the calls' few kilobytes");
    String written = flink.getFlinkConfDir();
    FlinkRestarts.configure(o);
    assertEquals(written, flink.getFlinkConfDir(), "a second job of the command uses the same directory");
    assertEquals("parallelism.default: 3\n", Files.readString(mine.resolve("flink-conf.yaml")),
        "the user's file is not touched");
  }

  @Test
  void zeroAttemptsAndOtherRunnersAreLeftAlone() {
    RunOptions none = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkRestartAttempts=0")
        .as(RunOptions.class);
    FlinkRestarts.configure(none);
    assertEquals(null, none.as(FlinkPipelineOptions.class).getFlinkConfDir());
    RunOptions direct = PipelineOptionsFactory.fromArgs().as(RunOptions.class);
    FlinkRestarts.configure(direct);
    assertEquals(null, direct.as(FlinkPipelineOptions.class).getFlinkConfDir());
  }

  @Test
  void theUsersOwnStageParallelismWins() throws Exception {
    Path mine = Files.createDirectories(tmp.resolve("auto"));
    Files.writeString(mine.resolve("flink-conf.yaml"), "execution.batch.adaptive.auto-parallelism.enabled: true\n");
    RunOptions o = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkConfDir=" + mine)
        .as(RunOptions.class);
    FlinkRestarts.configure(o);
    Configuration c = GlobalConfiguration.loadConfiguration(o.as(FlinkPipelineOptions.class).getFlinkConfDir());
    assertEquals("true", c.toMap().get("execution.batch.adaptive.auto-parallelism.enabled"));
    assertEquals("fixed-delay", c.toMap().get("restart-strategy.type"));
  }

  @Test
  void onlyAClustersSubtasksShareTheLimits() {
    assertEquals(1, FlinkRestarts.workers(PipelineOptionsFactory.fromArgs("--parallelism=4").as(RunOptions.class)));
    assertEquals(1, FlinkRestarts.workers(PipelineOptionsFactory.fromArgs("--runner=FlinkRunner",
        "--flinkMaster=[local]", "--parallelism=4").as(RunOptions.class)), "embedded: one JVM");
    assertEquals(4, FlinkRestarts.workers(PipelineOptionsFactory.fromArgs("--runner=FlinkRunner",
        "--flinkMaster=127.0.0.1:8081", "--parallelism=4").as(RunOptions.class)));
    assertEquals(1, FlinkRestarts.workers(PipelineOptionsFactory.fromArgs("--runner=FlinkRunner",
        "--flinkMaster=127.0.0.1:8081").as(RunOptions.class)), "parallelism left to the cluster");
  }
}
