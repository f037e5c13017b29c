package dev.cltbench.cli;

import dev.cltbench.pipelines.DirectThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Defaults the commands give the embedded DirectRunner. Its immutability and encodability checks
 * re-encode every element after every step: useful while writing transforms (the project's
 * TestPipeline tests keep them on), a fifth of the wall time of a report in production. A user who
 * passes either option keeps their value.
 *
 * <p>Calls are not bound by its thread count ({@code targetParallelism}): each DoFn thread keeps many
 * calls in flight, up to the pipeline file's limits. But a thread waits in {@code @FinishBundle} for
 * its bundle's slowest chain, and a bundle waiting for a thread starts its calls late: commands that
 * call models get 16 threads (bench replay of the published study: endpoint busy 1.26x its bound with
 * the default 3 threads, 1.09x with 16; docs/benchmarks.md).
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static String[] apply(String[] args) {
    return apply(args, false);
  }

  /** @param callsModels whether the command calls models (run, grade, bench) */
  static String[] apply(String[] args, boolean callsModels) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    for (String option : List.of("enforceImmutability", "enforceEncodability")) {
      if (out.stream().noneMatch(a -> a.startsWith("--" + option))) {
        out.add("--" + option + "=false");
      }
    }
    if (callsModels && out.stream().noneMatch(a -> a.startsWith("--targetParallelism"))) {
      out.add("--targetParallelism=" + DirectThreads.forCalls());
    }
    return out.toArray(String[]::new);
  }
}
