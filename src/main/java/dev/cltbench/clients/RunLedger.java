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
 * keeps its own ledger, so the cap holds per worker JVM (the README says so). Each holder (the launcher
 * for the run's length, every calling DoFn from {@code @Setup} to {@code @Teardown}) opens it with
 * {@link #acquire} and gives it back with {@link #release}; the last release forgets it.
 */
public final class RunLedger {
  private static final PerJvm<RunLedger> RUNS = new PerJvm<>(l -> {
    l.closed = true;
    l.inFlight.clear();
    l.log.close();
  });

  /** Price units: micro-dollars, so sums stay exact. */
  private final AtomicLong spentMicros = new AtomicLong();
  private final AtomicLong reservedMicros = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Map<String, java.util.concurrent.CompletableFuture<CallOutcome>> inFlight =
      new ConcurrentHashMap<>();
  /** The run's durable log in this JVM (every attempt, call and tuple), or one that writes nothing. */
  private final CallLog log;
  /**
   * What the run's log had spent when this ledger was made, counted against this JVM's cap: the calls
   * of a job attempt that a lost worker ended, or of workers that started first, and the calls sent and
   * not ended (lost with their worker, or in flight) at their reserved worst case. A worker of a
   * restarted job then cannot spend its share a second time; the run may end short of the budget.
   */
  private final long priorMicros;
  /** Set when the JVM's last holder released it (a cluster task's teardown, or the run's end). */
  private volatile boolean closed;

  private RunLedger(String logDirectory) {
    this.log = new CallLog(logDirectory);
    this.priorMicros = logged(logDirectory);
  }

  private static long logged(String logDirectory) {
    if (logDirectory == null) {
      return 0;
    }
    try {
      CallLogSummary summary = new CallLogSummary(logDirectory).refresh();
      return summary.spentMicros() + summary.unendedWorstMicros();
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("cltbench: call log " + logDirectory + ": cannot read (" + e
          + "); this worker's budget share does not count the calls made before it started");
      return 0;
    }
  }

  CallLog log() {
    return log;
  }

  /**
   * Whether every holder in this JVM let go. Calls still queued then belong to cancelled tasks (a
   * job restarting after a lost worker): they are not sent, and the restarted job makes them.
   */
  boolean closed() {
    return closed;
  }

  /** Writes out what this JVM's log still holds (before the launcher reads the log after the job). */
  public void flushLog() {
    log.flush();
  }

  /** Calls in flight by cache key, so identical calls are made once. */
  Map<String, java.util.concurrent.CompletableFuture<CallOutcome>> inFlight() {
    return inFlight;
  }

  /** Opens run {@code runId}'s ledger in this JVM; match every call with one {@link #release}. */
  public static RunLedger acquire(String runId) {
    return acquire(runId, null);
  }

  /** As {@link #acquire(String)}, logging to {@code logDirectory} (see {@link CallLog}; null for none). */
  public static RunLedger acquire(String runId, String logDirectory) {
    return RUNS.acquire(runId, k -> new RunLedger(logDirectory));
  }

  public static void release(String runId) {
    RUNS.release(runId);
  }

  /** Ledgers some holder of this JVM has open. */
  public static int open() {
    return RUNS.size();
  }

  /** A ledger of no run, for tests of the arithmetic. */
  static RunLedger detached() {
    return new RunLedger(null);
  }

  /**
   * Prompt tokens of a call, over-estimated at two characters a token (Cyrillic text tokenizes at
   * roughly two to three characters a token; English at four), with the schema a judge's call sends
   * (its name, description and JSON): every provider bills the schema or tool definition as input.
   */
  public static long promptTokens(String system, String user, ResponseSchema schema) {
    long chars = (system == null ? 0 : system.length()) + (user == null ? 0 : user.length()) + schemaChars(schema);
    return (chars + 1) / 2;
  }

  /** Characters of a schema as a request carries it (0 for none). */
  public static long schemaChars(ResponseSchema schema) {
    return schema == null ? 0 : schema.name().length()
        + (schema.description() == null ? 0 : schema.description().length()) + schema.schemaJson().length();
  }

  public static long maxOutputTokens(ModelSpec spec) {
    // The same default the request sends, so pacing and the budget reserve what a call may use.
    return spec.maxTokens() != null ? spec.maxTokens() : dev.cltbench.study.PipelineDefinition.DEFAULT_MAX_TOKENS;
  }

  /** Tokens a call may use at most: its prompt estimate (its schema counted) and max_tokens out. */
  public static long worstCaseTokens(ModelSpec spec, Call call) {
    return promptTokens(call.system(), call.user(), call.schema()) + maxOutputTokens(spec);
  }

  /** Micro-dollars a call may cost at most. */
  public static long worstCaseMicros(ModelSpec spec, Call call) {
    return costMicros(spec, promptTokens(call.system(), call.user(), call.schema()), maxOutputTokens(spec));
  }

  public static long costMicros(ModelSpec spec, long inputTokens, long outputTokens) {
    double in = spec.inputPricePerMillion() == null ? 0 : spec.inputPricePerMillion();
    double out = spec.outputPricePerMillion() == null ? 0 : spec.outputPricePerMillion();
    // A batched model is billed at its batch price (the discount on both prices).
    return Math.round((inputTokens * in + outputTokens * out) * spec.priceFactor());
  }

  /**
   * Reserves a call's worst case against the cap before it is made; empty when it would exceed the cap
   * (the call is then not made). A null cap reserves nothing. For batch calls, whose reservations last
   * until the batch answers.
   */
  public synchronized Optional<Long> reserve(Double capUsd, long worstCaseMicros) {
    try {
      return reserve(capUsd, worstCaseMicros, false);
    } catch (InterruptedException e) {
      throw new AssertionError("a reserve that does not wait was interrupted", e);
    }
  }

  /**
   * As {@link #reserve(Double, long)}, but a call that fits once the calls in flight have settled
   * waits for them rather than being refused: each reservation is a worst case (max_tokens out), so
   * with many calls in flight the reservations alone filled the cap while a fraction of it was spent
   * (a quickstart run capped at 0.20 USD refused 233 calls having spent 0.054). Refused only when what
   * is spent already leaves no room.
   */
  public synchronized Optional<Long> reserveWhenRoom(Double capUsd, long worstCaseMicros)
      throws InterruptedException {
    return reserve(capUsd, worstCaseMicros, true);
  }

  private Optional<Long> reserve(Double capUsd, long worstCaseMicros, boolean waitForRoom)
      throws InterruptedException {
    if (capUsd == null) {
      return Optional.of(0L);
    }
    long cap = Math.round(capUsd * 1_000_000);
    while (true) {
      long committed = priorMicros + spentMicros.get() + worstCaseMicros;
      if (committed + reservedMicros.get() <= cap) {
        reservedMicros.addAndGet(worstCaseMicros);
        return Optional.of(worstCaseMicros);
      }
      if (!waitForRoom || committed > cap) {
        refused.incrementAndGet(); // waiting would not help: however little the calls in flight cost
        return Optional.empty();
      }
      wait(); // a call in flight settles (settle notifies); every reservation is settled or released
    }
  }

  /** Replaces a reservation by what the call actually cost (0 for a failed call). */
  public synchronized void settle(long reservedMicros, long actualMicros) {
    this.reservedMicros.addAndGet(-reservedMicros);
    spentMicros.addAndGet(actualMicros);
    notifyAll();
  }

  /** What this ledger's calls cost (not {@link #priorUsd}). */
  public double spentUsd() {
    return spentMicros.get() / 1e6;
  }

  /** What the run's log had spent when this ledger was made (see {@link #priorMicros}). */
  public double priorUsd() {
    return priorMicros / 1e6;
  }

  public long refusedCalls() {
    return refused.get();
  }

  public void tupleDone(boolean graded) {
    (graded ? done : failed).incrementAndGet();
  }

  /** As {@link #tupleDone(boolean)}, and in the run's durable log by the tuple's key. */
  public void tupleDone(boolean graded, String tupleKey) {
    tupleDone(graded);
    if (tupleKey != null) {
      log.tuple(tupleKey, graded);
    }
  }

  public long graded() {
    return done.get();
  }

  public long failed() {
    return failed.get();
  }
}
