package dev.cltbench.clients;

import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one run has spent and finished in this JVM: the budget cap's ledger and the live progress
 * counts. Beam metrics carry the same counts to the runner, but only when a bundle commits; the
 * progress line and the cap need them the moment a call ends. On a multi-worker cluster each worker
 * keeps its own ledger, so the cap holds per worker JVM (the README says so).
 */
public final class RunLedger {
  private static final Map<String, RunLedger> RUNS = new ConcurrentHashMap<>();

  /** Price units: micro-dollars, so sums stay exact. */
  private final AtomicLong spentMicros = new AtomicLong();
  private final AtomicLong reservedMicros = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Map<String, java.util.concurrent.CompletableFuture<ModelCalls.Result>> inFlight =
      new ConcurrentHashMap<>();

  /** Calls in flight by cache key, so identical calls are made once. */
  Map<String, java.util.concurrent.CompletableFuture<ModelCalls.Result>> inFlight() {
    return inFlight;
  }

  public static RunLedger of(String runId) {
    return RUNS.computeIfAbsent(runId, k -> new RunLedger());
  }

  /**
   * Prompt tokens of a call, over-estimated at two characters a token (Cyrillic text tokenizes at
   * roughly two to three characters a token; English at four).
   */
  public static long promptTokens(String system, String user) {
    long chars = (system == null ? 0 : system.length()) + (user == null ? 0 : user.length());
    return (chars + 1) / 2;
  }

  public static long maxOutputTokens(ModelSpec spec) {
    // The same default the request sends, so pacing and the budget reserve what a call may use.
    return spec.maxTokens() != null ? spec.maxTokens() : dev.cltbench.study.PipelineDefinition.DEFAULT_MAX_TOKENS;
  }

  /** Tokens a call may use at most: its prompt estimate and max_tokens out. */
  public static long worstCaseTokens(ModelSpec spec, String system, String user) {
    return promptTokens(system, user) + maxOutputTokens(spec);
  }

  /** Micro-dollars a call may cost at most. */
  public static long worstCaseMicros(ModelSpec spec, String system, String user) {
    return costMicros(spec, promptTokens(system, user), maxOutputTokens(spec));
  }

  public static long costMicros(ModelSpec spec, long inputTokens, long outputTokens) {
    double in = spec.inputPricePerMillion() == null ? 0 : spec.inputPricePerMillion();
    double out = spec.outputPricePerMillion() == null ? 0 : spec.outputPricePerMillion();
    return Math.round(inputTokens * in + outputTokens * out);
  }

  /**
   * Reserves a call's worst case against the cap before it is made; empty when it would exceed the cap
   * (the call is then not made). A null cap reserves nothing.
   */
  public synchronized Optional<Long> reserve(Double capUsd, long worstCaseMicros) {
    if (capUsd == null) {
      return Optional.of(0L);
    }
    long cap = Math.round(capUsd * 1_000_000);
    if (spentMicros.get() + reservedMicros.get() + worstCaseMicros > cap) {
      refused.incrementAndGet();
      return Optional.empty();
    }
    reservedMicros.addAndGet(worstCaseMicros);
    return Optional.of(worstCaseMicros);
  }

  /** Replaces a reservation by what the call actually cost (0 for a failed call). */
  public void settle(long reservedMicros, long actualMicros) {
    this.reservedMicros.addAndGet(-reservedMicros);
    spentMicros.addAndGet(actualMicros);
  }

  public double spentUsd() {
    return spentMicros.get() / 1e6;
  }

  public long refusedCalls() {
    return refused.get();
  }

  public void tupleDone(boolean graded) {
    (graded ? done : failed).incrementAndGet();
  }

  public long graded() {
    return done.get();
  }

  public long failed() {
    return failed.get();
  }
}
