package dev.cltbench.pipelines;

import dev.cltbench.langid.LanguageIdentifier;
import dev.cltbench.langid.TextMetrics;
import dev.cltbench.stats.ClusterBootstrap;
import dev.cltbench.stats.ClusterHistogram;
import dev.cltbench.report.FigurePdf;
import java.util.function.BooleanSupplier;

/**
 * While a live run waits on the network, loads what its report will need in this JVM: the figures'
 * renderer and the language models, and runs the identifier and the bootstrap on samples so that
 * their loops are compiled. The report runs right after the calls, in the same JVM on the
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
    return reportRunsHere ? onThread("report-warm-up", () -> {
      while (!answersArriving.getAsBoolean()) {
        Thread.sleep(POLL_MS);
      }
      identifyLanguages(LanguageIdentifier.shared());
      bootstrap();
      FigurePdf.warmUp();
    }) : new ReportWarmUp(null);
  }

  /** What a warm-up does; interrupted when what it prepares for has ended. */
  private interface Work {
    void run() throws InterruptedException;
  }

  /** {@code work} on a daemon thread at the lowest priority. */
  private static ReportWarmUp onThread(String name, Work work) {
    Thread t = new Thread(() -> {
      try {
        work.run();
      } catch (InterruptedException e) {
        // what it prepared for ended first
      } catch (RuntimeException | Error e) {
        // only a head start: the report loads what it needs itself, and says so if it cannot
      }
    }, name);
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return new ReportWarmUp(t);
  }

  /**
   * The language facts of a few sentences, enough times for the JIT to compile the identifier's loops
   * (the report measures every answer with them).
   */
  static void identifyLanguages(LanguageIdentifier id) {
    String[] samples = {"\u049a\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d\u043d\u044b\u04a3 "
        + "\u0430\u0441\u0442\u0430\u043d\u0430\u0441\u044b \u0410\u0441\u0442\u0430\u043d\u0430.",
        "\u041c\u043e\u043d\u0433\u043e\u043b \u0443\u043b\u0441\u044b\u043d \u043d\u0438\u0439\u0441\u043b\u044d\u043b "
        + "\u0423\u043b\u0430\u0430\u043d\u0431\u0430\u0430\u0442\u0430\u0440.",
        "The capital of Kazakhstan is Astana. It became the capital in 1997."};
    for (int i = 0; i < 300; i++) {
      String s = samples[i % samples.length];
      TextMetrics.facts(s, "kaz", s, null, id);
    }
  }

  /** Bootstrap intervals of a published-size scope, for the same reason. */
  static void bootstrap() {
    ClusterHistogram h = new ClusterHistogram();
    for (int q = 0; q < 50; q++) {
      h.add(new ClusterHistogram.Cluster(q % 7, 1, (q % 7) * (q % 7), new long[] {q % 2, q % 3, q % 2}));
    }
    for (int i = 0; i < 20; i++) {
      ClusterBootstrap.withParts(h, 0.95, 10_000, i);
    }
  }

  /**
   * For {@code report} alone: loads the figures' renderer on a low-priority thread while the pipeline
   * reads and aggregates, so that drawing the PDFs at the end does not start cold; nothing when the
   * report's sink runs elsewhere.
   */
  static ReportWarmUp figures(boolean reportRunsHere) {
    // One drawing loads the renderer; beside the pipeline every further one takes CPU from it (a run
    // draws three, while it waits on the network).
    return reportRunsHere ? onThread("report-figures-warm-up", () -> FigurePdf.warmUp(1)) : new ReportWarmUp(null);
  }

  /** Stops waiting when the calls end before any tuple is done (a drawing under way finishes). */
  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
