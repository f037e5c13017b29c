package dev.cltbench.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The ranges of the options that call models, checked before anything is read or written: Beam's
 * options parser checks types, not ranges, and a negative budget or a failure rate of 2 would
 * otherwise run (and spend) with a limit that limits nothing.
 */
final class EvaluationChecks {
  private EvaluationChecks() {}

  static void check(EvaluationOptions options) {
    Double budget = options.getBudgetUsd();
    if (budget != null && !(budget > 0 && Double.isFinite(budget))) {
      throw new IllegalArgumentException("--budgetUsd must be a positive number of USD, was " + show(budget));
    }
    double rate = options.getMaxFailureRate();
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("--maxFailureRate must be between 0 and 1 (a share of the tuples), was "
          + show(rate));
    }
    double scale = options.getLatencyScale();
    if (!(scale >= 0 && Double.isFinite(scale))) {
      // 0 is a replay with no waiting at all.
      throw new IllegalArgumentException("--latencyScale must be 0 (no waiting) or a positive factor, was "
          + show(scale));
    }
    if (options.getProgressSeconds() < 0) {
      throw new IllegalArgumentException("--progressSeconds must be 0 (no progress lines) or more, was "
          + options.getProgressSeconds());
    }
    checkCache(options.getCache());
    String lengths = options.getLengthsFrom();
    if (lengths != null && !lengths.isEmpty() && !lengths.contains("://") && !Files.isDirectory(Path.of(lengths))) {
      throw new IllegalArgumentException("--lengthsFrom=" + lengths + ": no study directory there");
    }
  }

  /**
   * A local cache must be a directory this process can write, or one it can make: otherwise every
   * call is made, paid for, and then lost when its answer cannot be kept (seen: a file given as the
   * cache failed all 280 tuples of the quickstart after their calls). Other filesystems are checked by
   * their first write.
   */
  static void checkCache(String cache) {
    if (cache == null || cache.isEmpty() || cache.contains("://")) {
      return;
    }
    Path dir = Path.of(cache).toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--cache=" + cache + " is a file, not a directory");
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new IllegalArgumentException("--cache=" + cache + ": cannot be made (" + existing + " is not a directory)");
    }
    if (!Files.isWritable(existing)) {
      throw new IllegalArgumentException("--cache=" + cache + ": " + existing + " is not writable");
    }
  }

  private static String show(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }
}
