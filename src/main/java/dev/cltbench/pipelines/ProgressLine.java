package dev.cltbench.pipelines;

import dev.cltbench.clients.EndpointLimits;
import dev.cltbench.clients.RunLedger;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live progress line of a run: done / failed / in flight / spent / ETA, every few seconds on
 * stderr. It reads this JVM's ledger, so it sees embedded runners' workers; on a remote cluster the
 * runner's UI shows the Beam counters instead.
 */
final class ProgressLine implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private ProgressLine(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static ProgressLine start(PrintStream err, RunLedger ledger, long total, int everySeconds) {
    if (everySeconds <= 0) {
      return new ProgressLine(null);
    }
    long started = System.nanoTime();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cltbench-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> err.println(line(ledger, total, System.nanoTime() - started)),
        everySeconds, everySeconds, TimeUnit.SECONDS);
    return new ProgressLine(timer);
  }

  static String line(RunLedger ledger, long total, long elapsedNanos) {
    long graded = ledger.graded();
    long failed = ledger.failed();
    long finished = graded + failed;
    String eta = finished == 0 ? "?" : String.format(Locale.ROOT, "%.0f s",
        elapsedNanos / 1e9 / finished * (total - finished));
    return String.format(Locale.ROOT,
        "progress: %d/%d tuples done (%d graded, %d failed), %d calls in flight, %.4f USD, ETA %s",
        finished, total, graded, failed, EndpointLimits.totalInFlight(), ledger.spentUsd(), eta);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
