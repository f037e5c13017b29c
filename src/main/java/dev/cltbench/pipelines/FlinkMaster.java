package dev.cltbench.pipelines;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The cluster a job goes to must answer before the job is built and submitted: Flink's REST client
 * retries a refused submission for minutes, logging a stack trace per attempt, and ends in a bare
 * "Connection refused". One connect, with a short timeout, says the same in one line at once.
 */
final class FlinkMaster {
  static final int CONNECT_TIMEOUT_MS = 5_000;

  private FlinkMaster() {}

  /** Throws a one-line {@link IllegalArgumentException} when {@code --flinkMaster} names a cluster that does not answer. */
  static void requireReachable(PipelineOptions options) {
    if (!isRemote(options)) {
      return; // another runner, or Flink's [local], [auto], [collection]: embedded, nothing to reach
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    InetSocketAddress address = address(master);
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MS);
    } catch (IOException | IllegalArgumentException e) {
      String why = e instanceof java.net.UnknownHostException ? "unknown host " + e.getMessage()
          : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalArgumentException("--flinkMaster=" + master + ": no Flink cluster answers there (" + why
          + "); start one (scripts/flink-cluster.sh start prints its rest=HOST:PORT) or give the JobManager's REST address");
    }
  }

  /** Whether the job runs on a Flink cluster outside this JVM (its DoFns, the report's sink included). */
  static boolean isRemote(PipelineOptions options) {
    if (!"FlinkRunner".equals(options.getRunner().getSimpleName())) {
      return false;
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    return master != null && !master.isEmpty() && !master.startsWith("[");
  }

  /** {@code host:port} or {@code http(s)://host:port[/...]}, as Flink's REST client takes it; port 8081 if none. */
  static InetSocketAddress address(String master) {
    String s = master.contains("://") ? master : "http://" + master;
    URI uri;
    try {
      uri = URI.create(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--flinkMaster=" + master + ": not an address (give HOST:PORT)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--flinkMaster=" + master + ": not an address (give HOST:PORT)");
    }
    return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 8081 : uri.getPort());
  }
}
