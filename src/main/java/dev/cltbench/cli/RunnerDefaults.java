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
 *
 * <p>On Flink, {@code objectReuse}: without it Flink copies (encodes and decodes) every element for
 * each further consumer its operator chain hands it to, and the report's joined responses go to
 * half a dozen (12% of the 100x report's CPU on embedded Flink). Beam's elements are immutable by
 * contract, which the DirectRunner's immutability check holds the project's transforms to in their
 * tests, and RunnersIT compares every file written on Flink with the DirectRunner's.
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
    if (out.stream().noneMatch(a -> a.startsWith("--objectReuse"))) {
      out.add("--objectReuse=true");
    }
    if (callsModels && out.stream().noneMatch(a -> a.startsWith("--targetParallelism"))) {
      out.add("--targetParallelism=" + DirectThreads.forCalls());
    }
    return out.toArray(String[]::new);
  }
}
