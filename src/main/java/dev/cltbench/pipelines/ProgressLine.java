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
 * stderr, from a {@link Source}: the run's call log ({@link RunSpend}), which the workers of every
 * runner write, a remote cluster's included.
 */
final class ProgressLine implements AutoCloseable {
  /** The counts a progress line shows. */
  interface Source {
    long graded();

    long failed();

    long inFlight();

    double spentUsd();
  }

  private final ScheduledExecutorService timer;

  private ProgressLine(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static ProgressLine start(PrintStream err, Source ledger, long total, int everySeconds) {
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

  /** This JVM's ledger as a source (what its own workers did: embedded runners only). */
  static Source of(RunLedger ledger) {
    return new Source() {
      @Override
      public long graded() {
        return ledger.graded();
      }

      @Override
      public long failed() {
        return ledger.failed();
      }

      @Override
      public long inFlight() {
        return EndpointLimits.totalInFlight();
      }

      @Override
      public double spentUsd() {
        return ledger.spentUsd();
      }
    };
  }

  static String line(RunLedger ledger, long total, long elapsedNanos) {
    return line(of(ledger), total, elapsedNanos);
  }

  static String line(Source ledger, long total, long elapsedNanos) {
    long graded = ledger.graded();
    long failed = ledger.failed();
    long finished = graded + failed;
    String eta = finished == 0 ? "?" : String.format(Locale.ROOT, "%.0f s",
        elapsedNanos / 1e9 / finished * (total - finished));
    return String.format(Locale.ROOT,
        "progress: %d/%d tuples done (%d graded, %d failed), %d calls in flight, %.4f USD, ETA %s",
        finished, total, graded, failed, ledger.inFlight(), ledger.spentUsd(), eta);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
