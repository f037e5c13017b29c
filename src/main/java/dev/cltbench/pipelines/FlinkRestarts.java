package dev.cltbench.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Gives every Flink job the project submits a fixed-delay restart strategy in its own configuration.
 *
 * <p>Read from Beam 2.70.0 and Flink 1.19.0 (and tried on the standalone cluster): the runner's
 * DataSet translation of a batch job builds its ExecutionEnvironment from {@code
 * GlobalConfiguration.loadConfiguration(flinkConfDir)}, but the JobMaster takes a job's restart
 * strategy from {@code ExecutionConfig.getRestartStrategy()} (set only programmatically; Beam does not
 * for batch) or the JobGraph's configuration (empty for DataSet plans), so the cluster's conf decides
 * ({@code numberOfExecutionRetries} is read for streaming only). The DataStream translation of batch
 * jobs ({@code --useDataStreamForBatch}) carries the environment's configuration into the JobGraph,
 * where it wins over the cluster's. So with restarts on, jobs use that translation, and the launcher
 * writes a conf directory: the user's {@code --flinkConfDir} (or {@code FLINK_CONF_DIR}) copied, with
 * the restart strategy appended, and every stage set to the job's {@code --parallelism} (see {@link
 * #write}). {@code --flinkRestartAttempts=0} keeps Beam's defaults.
 */
final class FlinkRestarts {
  /** Marks a conf directory this class wrote, so a second job of one command does not copy it again. */
  static final String MARKER = "cltbench-restarts";

  private FlinkRestarts() {}

  /**
   * The JVMs that may run a job's calls at once: on a Flink cluster ({@code --flinkMaster} an address)
   * its parallelism, at most one JVM per subtask; 1 on any other runner, or when the parallelism is
   * left to the cluster (unknown here).
   */
  static int workers(PipelineOptions options) {
    if (!FlinkMaster.isRemote(options)) {
      return 1;
    }
    int parallelism = options.as(FlinkPipelineOptions.class).getParallelism();
    return parallelism > 1 ? parallelism : 1;
  }

  static void configure(PipelineOptions options) {
    if (!"FlinkRunner".equals(options.getRunner().getSimpleName())) {
      return;
    }
    ClusterOptions cluster = options.as(ClusterOptions.class);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (cluster.getFlinkRestartAttempts() == 0) {
      return;
    }
    flink.setUseDataStreamForBatch(true);
    String given = flink.getFlinkConfDir();
    if (given != null && Files.exists(Path.of(given, MARKER))) {
      return;
    }
    if (given == null || given.isEmpty()) {
      given = System.getenv("FLINK_CONF_DIR");
    }
    try {
      flink.setFlinkConfDir(write(given, cluster.getFlinkRestartAttempts(),
          cluster.getFlinkRestartDelaySeconds()).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink job configuration: " + e.getMessage(), e);
    }
  }

  /**
   * A new conf directory: {@code base}'s files (if any), the restart strategy and the stages'
   * parallelism in flink-conf.yaml; the user's own keys win.
   */
  static Path write(String base, int attempts, int delaySeconds) throws IOException {
    if (attempts < 0 || delaySeconds < 0) {
      throw new IllegalArgumentException("--flinkRestartAttempts and --flinkRestartDelaySeconds must be "
          + "at least 0, were " + attempts + " and " + delaySeconds);
    }
    Path dir = Files.createTempDirectory("cltbench-flink-conf");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
    String conf = "flink-conf.yaml";
    if (base != null && !base.isEmpty() && Files.isDirectory(Path.of(base))) {
      try (Stream<Path> files = Files.list(Path.of(base))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
      // Flink 1.19 reads config.yaml (standard YAML) in preference to the legacy flink-conf.yaml.
      if (Files.exists(dir.resolve("config.yaml"))) {
        conf = "config.yaml";
      }
    }
    // Flat keys are valid in both files; later keys win in the legacy parser, and a YAML file with the
    // same key twice is rejected, so the user's own restart keys are left to win there.
    String existing = Files.exists(dir.resolve(conf)) ? Files.readString(dir.resolve(conf)) : "";
    StringBuilder add = new StringBuilder("\n# cltbench: restart after a lost worker (--flinkRestartAttempts)\n");
    if (attempts == 0) {
      add.append("restart-strategy.type: none\n");
    } else {
      add.append("restart-strategy.type: fixed-delay\n")
          .append("restart-strategy.fixed-delay.attempts: ").append(attempts).append('\n')
          .append("restart-strategy.fixed-delay.delay: ").append(delaySeconds).append(" s\n");
    }
    // Flink's batch scheduler sets the parallelism of every stage from the bytes it reads (16 MB a
    // subtask by default): the calls' stage reads a few kilobytes of questions, so it got one subtask
    // whatever --parallelism said, and that subtask held only its share of the limits and the budget.
    // The job's --parallelism is what a user asked for; each stage gets it.
    String parallelism = "execution.batch.adaptive.auto-parallelism.enabled";
    StringBuilder own = new StringBuilder();
    if (!existing.contains("restart-strategy")) {
      own.append(add);
    }
    if (!existing.contains(parallelism)) {
      own.append("# cltbench: every stage at the job's --parallelism (the calls' stage reads little)\n")
          .append(parallelism).append(": false\n");
    }
    if (own.length() > 0) {
      Files.writeString(dir.resolve(conf), existing + own, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }
    Files.writeString(dir.resolve(MARKER), "");
    return dir;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
