package dev.cltbench.pipelines;

import dev.cltbench.langid.LanguageIdentifier;
import dev.cltbench.report.FigurePdf;
import java.util.function.BooleanSupplier;

/**
 * While a live run waits on the network, loads what its report will need in this JVM: the figures'
 * renderer and the language models. The report runs right after the calls, in the same JVM on the
 * DirectRunner and embedded Flink, and in a cold JVM most of its time is loading and compiling
 * (the published report: 9 s in a fresh JVM, 2.6 s in a warm one). It starts only once the first
 * tuple is done, so the run's own start (building the graph, the first requests) has both cores, on
 * one thread at the lowest priority; it changes nothing the run writes.
 */
final class ReportWarmUp implements AutoCloseable {
  private static final long POLL_MS = 100;

  private final Thread thread;

  private ReportWarmUp(Thread thread) {
    this.thread = thread;
  }

  /** Warms up once {@code answersArriving} says so; nothing when the report runs elsewhere. */
  static ReportWarmUp start(boolean reportRunsHere, BooleanSupplier answersArriving) {
    if (!reportRunsHere) {
      return new ReportWarmUp(null);
    }
    Thread t = new Thread(() -> {
      try {
        while (!answersArriving.getAsBoolean()) {
          Thread.sleep(POLL_MS);
        }
        LanguageIdentifier.shared();
        FigurePdf.warmUp();
      } catch (InterruptedException e) {
        // the run ended first
      } catch (RuntimeException | Error e) {
        // only a head start: the report loads what it needs itself, and says so if it cannot
      }
    }, "report-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return new ReportWarmUp(t);
  }

  /** Stops waiting when the calls end before any tuple is done (a drawing under way finishes). */
  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
