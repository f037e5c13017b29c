package dev.cltbench.clients;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resources several DoFn instances of one JVM share (an endpoint's limit, a run's ledger),
 * reference-counted: the first {@link #acquire} makes one, each {@code @Teardown}'s {@link #release}
 * gives it back, and the last release closes and forgets it, so a long-lived worker that runs many
 * pipelines keeps nothing of the finished ones.
 */
final class PerJvm<V> {
  private final Map<String, V> values = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final Consumer<V> close;

  PerJvm(Consumer<V> close) {
    this.close = close;
  }

  synchronized V acquire(String key, Function<String, V> make) {
    V v = values.computeIfAbsent(key, make);
    counts.merge(key, 1, Integer::sum);
    return v;
  }

  /** The value if some holder has it open, else null (never makes one). */
  synchronized V peek(String key) {
    return values.get(key);
  }

  synchronized void release(String key) {
    Integer n = counts.get(key);
    if (n == null) {
      return;
    }
    if (n > 1) {
      counts.put(key, n - 1);
      return;
    }
    counts.remove(key);
    V v = values.remove(key);
    if (v != null) {
      close.accept(v);
    }
  }

  synchronized int size() {
    return values.size();
  }

  synchronized java.util.List<V> values() {
    return java.util.List.copyOf(values.values());
  }
}
