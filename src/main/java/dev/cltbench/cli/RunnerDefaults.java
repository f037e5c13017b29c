package dev.cltbench.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Defaults the commands give the embedded DirectRunner. Its immutability and encodability checks
 * re-encode every element after every step: useful while writing transforms (the project's
 * TestPipeline tests keep them on), a fifth of the wall time of a report in production. A user who
 * passes either option keeps their value.
 *
 * <p>Its thread count ({@code targetParallelism}, by default the number of cores but at least 3) also
 * bounds how many groups of tuples call models at once: a run's shards each hold a thread while their
 * calls are in flight, so a shard left waiting for a thread would start its calls late. The default
 * gives every shard a thread.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static String[] apply(String[] args) {
    return apply(args, false);
  }

  /** @param callsModels whether the command runs shards of model calls (run, grade, bench) */
  static String[] apply(String[] args, boolean callsModels) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    for (String option : List.of("enforceImmutability", "enforceEncodability")) {
      if (out.stream().noneMatch(a -> a.startsWith("--" + option))) {
        out.add("--" + option + "=false");
      }
    }
    if (callsModels && out.stream().noneMatch(a -> a.startsWith("--targetParallelism"))) {
      int shards = 4;
      for (String a : out) {
        if (a.startsWith("--shards=")) {
          shards = Integer.parseInt(a.substring("--shards=".length()));
        }
      }
      out.add("--targetParallelism=" + Math.max(shards + 2, Runtime.getRuntime().availableProcessors()));
    }
    return out.toArray(String[]::new);
  }
}
