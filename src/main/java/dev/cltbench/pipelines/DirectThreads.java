package dev.cltbench.pipelines;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/** The DirectRunner's thread count ({@code --targetParallelism}) for calls, and for the report after them. */
public final class DirectThreads {
  private DirectThreads() {}

  /**
   * For commands that call models: a thread waits in {@code @FinishBundle} for its bundle's slowest
   * call, and a bundle waiting for a thread starts its calls late (bench replay of the published
   * study: endpoint busy 1.26x its bound with the default 3 threads, 1.09x with 16).
   */
  public static int forCalls() {
    return Math.max(16, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Gives the report that follows a command's calls the DirectRunner's own count back: it makes no
   * call, and 16 threads on 2 cores made it about 1 s slower (external bench, 2026-12-07: 4.4-5.0 s
   * against 3.2-3.8 s). A count the user chose other than {@link #forCalls} is kept.
   */
  static void forReport(PipelineOptions options) {
    if (!"DirectRunner".equals(options.getRunner().getSimpleName())) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    if (direct.getTargetParallelism() == forCalls()) {
      direct.setTargetParallelism(new DirectOptions.AvailableParallelismFactory().create(options));
    }
  }
}
