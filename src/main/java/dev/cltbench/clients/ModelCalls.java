package dev.cltbench.clients;

import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How a run reaches its models: clients per model (keys read from the environment on the worker, never
 * carried in this serializable object), the response cache, and the per-endpoint limits. A worker opens
 * one {@link Session} in its DoFn's {@code @Setup}.
 */
public final class ModelCalls implements Serializable {
  /**
   * Threads that complete calls for their callers (see {@link Session#call}); daemon threads that
   * end when idle, shared by the JVM's sessions.
   */
  private static final java.util.concurrent.ExecutorService AFTER_CALLS = new java.util.concurrent.ThreadPoolExecutor(
      0, Integer.MAX_VALUE, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
      r -> {
        Thread t = new Thread(r, "cltbench-after-call");
        t.setDaemon(true);
        return t;
      });

  private static final long serialVersionUID = 1L;

  /**
   * Makes the client of one model; production uses the real provider protocols ({@link
   * ModelClients#factory}). Retries and timeouts are the client's business; every HTTP attempt is
   * reported to the {@link Attempts} it is given, which reserve and settle the budget.
   */
  public interface ClientFactory extends Serializable {
    ModelClient create(ModelSpec spec);
  }

  private final PipelineDefinition definition;
  private final String cacheDirectory;
  private final String emulatorUrl;
  private final ClientFactory factory;
  private final String runId = java.util.UUID.randomUUID().toString();
  private Double budgetUsd;
  private String callLogDirectory;
  private int workers = 1;

  /**
   * @param cacheDirectory where responses are cached (any Beam filesystem path), or null for none
   * @param emulatorUrl the address that replaces a base_url of {@code emulator}, or null
   */
  public ModelCalls(PipelineDefinition definition, String cacheDirectory, String emulatorUrl,
      ClientFactory factory) {
    this.definition = definition;
    this.cacheDirectory = cacheDirectory;
    this.emulatorUrl = emulatorUrl;
    this.factory = factory;
  }

  /**
   * Workers log every attempt, call and tuple of the run durably in {@code directory} (any Beam
   * filesystem path every worker and the launcher reach; see {@link CallLog}).
   */
  public ModelCalls withCallLog(String directory) {
    this.callLogDirectory = directory;
    return this;
  }

  /**
   * The JVMs that may run the job's calls at once (a cluster's parallelism; 1 on one JVM): each takes
   * its share of the pipeline file's limits ({@link EndpointLimits#share}).
   */
  public ModelCalls withWorkers(int workers) {
    this.workers = Math.max(1, workers);
    return this;
  }

  /** The JVMs that share the file's limits and the budget ({@link #withWorkers}). */
  public int workers() {
    return workers;
  }

  /** Where the workers log the run ({@link #withCallLog}), or null. */
  public String callLogDirectory() {
    return callLogDirectory;
  }

  /** Stops new calls before the run's spending (at the pipeline file's prices) would pass this cap. */
  public ModelCalls withBudget(Double usd) {
    this.budgetUsd = usd;
    return this;
  }

  /**
   * The cap this JVM keeps: the whole budget on one JVM; on a cluster, its share over the workers (as
   * with the file's limits), so the workers together never pass it. A worker whose share is spent
   * stops while another may have some left: the run ends short of the budget rather than past it.
   * The ledger also counts what the run had logged before it was made ({@link RunLedger#priorUsd}).
   */
  private Double budgetShare() {
    return budgetUsd == null ? null : budgetUsd / workers;
  }

  /** Why a call was not made: the cap, what this JVM spent, and what the run had spent before it started. */
  private static String budgetRefusal(Double capUsd, RunLedger ledger, String capNote) {
    String before = ledger.priorUsd() > 0 ? String.format(java.util.Locale.ROOT,
        ", and %.4f USD by calls logged before this worker started", ledger.priorUsd()) : "";
    return String.format(java.util.Locale.ROOT, "budget cap of %.2f USD reached (%.4f USD spent%s)%s: call not made",
        capUsd, ledger.spentUsd(), before, capNote);
  }

  private String budgetShareNote() {
    return workers > 1 ? String.format(java.util.Locale.ROOT, " (this worker's share of --budgetUsd=%.2f over %d workers)",
        budgetUsd, workers) : "";
  }

  /**
   * Holds this run's ledger (spending and progress in the current JVM) open until closed: the launcher
   * holds it for the run's length, so embedded workers and the progress line share one.
   */
  public LedgerHold holdLedger() {
    return new LedgerHold(RunLedger.acquire(runId, callLogDirectory));
  }

  /** This run's ledger, held open until {@link #close}. */
  public final class LedgerHold implements AutoCloseable {
    private final RunLedger ledger;
    private boolean closed;

    private LedgerHold(RunLedger ledger) {
      this.ledger = ledger;
    }

    public RunLedger ledger() {
      return ledger;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        RunLedger.release(runId);
      }
    }
  }

  /** The spec as called: the emulator's address in place of {@code emulator}. */
  public ModelSpec resolve(ModelSpec m) {
    if (!PipelineDefinition.EMULATOR_URL.equals(m.baseUrl())) {
      return m;
    }
    if (emulatorUrl == null) {
      throw new IllegalStateException("model " + m.name() + " uses the emulator, but none is running");
    }
    return m.withBaseUrl(emulatorUrl, m.apiKeyEnv(), m.limitGroup());
  }

  /**
   * The model as called for {@code epoch}: the first epoch as the pipeline file says, each later one
   * with its own seed (the file's seed, or 0, plus the epoch), so providers that take a seed sample
   * a different answer.
   */
  public static ModelSpec forEpoch(ModelSpec m, int epoch) {
    if (epoch == 0) {
      return m;
    }
    long seed = (m.seed() == null ? 0 : m.seed()) + epoch;
    return m.withSeed(seed);
  }

  public Session open() {
    return new Session();
  }

  /**
   * The budget's view of one call's attempts: every attempt may be billed, so each reserves its worst
   * case before it is made and settles what its reply reported after.
   */
  private static final class BudgetAttempts implements Attempts {
    private final RunLedger ledger;
    private final Double capUsd;
    private final String capNote;
    private final ModelSpec spec;
    private final long worstCase;
    private long reserved;

    private final java.util.concurrent.atomic.AtomicLong throttledMillis;
    /** This call's id in the run's log, and the HTTP attempts it has sent. */
    private final String exec = java.util.UUID.randomUUID().toString();
    private int sent;

    private final EndpointLimits.Endpoint endpoint;

    BudgetAttempts(RunLedger ledger, Double capUsd, String capNote, ModelSpec spec, long worstCase,
        java.util.concurrent.atomic.AtomicLong throttledMillis, EndpointLimits.Endpoint endpoint) {
      this.endpoint = endpoint;
      this.ledger = ledger;
      this.capUsd = capUsd;
      this.capNote = capNote;
      this.spec = spec;
      this.worstCase = worstCase;
      this.throttledMillis = throttledMillis;
    }

    @Override
    public void throttled(long millis) {
      throttledMillis.addAndGet(millis);
    }

    /**
     * Its task was cancelled and nothing in this JVM holds the run: the restarted job, with a ledger
     * of its own, makes this call; sent now it would be paid twice, or outside any ledger's cap.
     */
    private void refuseOnceCancelled() throws ModelCallException {
      if (ledger.closed()) {
        throw new ModelCallException(-1, false, null,
            "the worker's task ended before this call was sent (a restart cancelled it): call not made");
      }
    }

    @Override
    public synchronized void before() throws ModelCallException {
      refuseOnceCancelled();
      if (sent > 0 && endpoint != null) {
        // A retry waits for what the provider's headers said (a 429's retry-after holds every worker thread).
        try {
          throttledMillis.addAndGet(endpoint.gate());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Optional<Long> room;
      try {
        room = ledger.reserveWhenRoom(capUsd, worstCase);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelCallException(-1, false, null, "interrupted while waiting for room under the budget cap");
      }
      reserved = room.orElseThrow(() -> new ModelCallException(-1, false, null,
          budgetRefusal(capUsd, ledger, capNote), ModelCallException.BUDGET, Usage.NONE, null, null, null, 0));
      try {
        refuseOnceCancelled(); // again: the task may have ended while this call waited for room
      } catch (ModelCallException cancelled) {
        ledger.settle(reserved, 0);
        reserved = 0;
        throw cancelled;
      }
      // Logged before it is sent: a worker lost mid-request still leaves the request counted.
      sent++;
      ledger.log().attempt(exec, spec.name(), worstCase);
    }

    /** Logs the call's end (when it sent anything): its attempts, what its reply reported, whether cached. */
    synchronized void ended(String key, boolean failed, Usage usage, boolean kept) {
      if (sent > 0) {
        Usage u = usage == null ? Usage.NONE : usage;
        ledger.log().call(exec, spec.name(), key, sent, failed, u, u.costMicros(spec), kept);
      }
    }

    @Override
    public synchronized void after(Usage billed) {
      ledger.settle(reserved, billed.costMicros(spec));
      reserved = 0;
      if (endpoint != null) {
        endpoint.observe(RateLimitHeaders.take()); // read by the client on this thread
      }
    }

    /** Frees a reservation no reply settled (the client failed in an unexpected way). */
    synchronized void release() {
      if (reserved != 0) {
        ledger.settle(reserved, 0);
        reserved = 0;
      }
    }
  }

  /**
   * One DoFn instance's clients, cache, endpoints and hold on the run's ledger, opened in {@code
   * @Setup} and closed in {@code @Teardown}. Endpoints are opened on first use and released on close.
   */
  public final class Session implements AutoCloseable {
    private final Map<String, ModelClient> clients = new HashMap<>();
    private final ResponseCache cache = cacheDirectory == null ? null : new ResponseCache(cacheDirectory);
    private final RunLedger ledger = RunLedger.acquire(runId, callLogDirectory);
    private final Map<String, EndpointLimits.Endpoint> endpoints = new HashMap<>();
    private final Map<String, PipelineDefinition.Limit> endpointLimits = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong throttledMillis = new java.util.concurrent.atomic.AtomicLong();
    private boolean closed;

    public RunLedger ledger() {
      return ledger;
    }

    private synchronized EndpointLimits.Endpoint endpoint(ModelSpec spec) {
      if (closed) {
        throw new IllegalStateException("session closed");
      }
      PipelineDefinition.Limit limit = EndpointLimits.share(definition.limit(spec), workers);
      return endpoints.computeIfAbsent(spec.limitKey(), k -> {
        endpointLimits.put(k, limit);
        // One provider account: the base URL and the key's variable (the emulator is one account).
        return EndpointLimits.acquire(k, limit, spec.baseUrl() + "\u0000" + spec.apiKeyEnv());
      });
    }

    private synchronized ModelClient client(ModelSpec spec) {
      return clients.computeIfAbsent(spec.name() + "#" + spec.seed(), n -> factory.create(resolve(spec)));
    }

    /**
     * Makes a call, or joins the identical call already in flight in this JVM (two conditions asking
     * the same translation at once): the models never answer the same request twice in one run, and
     * the joiner's reply counts as cached.
     */
    public CompletableFuture<CallOutcome> call(Call call) {
      ModelSpec spec = forEpoch(definition.anyModel(call.model()).orElseThrow(
          () -> new IllegalArgumentException("unknown model " + call.model())), call.epoch());
      EndpointLimits.Endpoint endpoint = endpoint(spec);
      String key = ResponseCache.key(spec, call.system(), call.user(), call.epoch(), call.schema());
      Map<String, CompletableFuture<CallOutcome>> inFlight = ledger.inFlight();
      CompletableFuture<CallOutcome> mine = new CompletableFuture<>();
      CompletableFuture<CallOutcome> running = inFlight.putIfAbsent(key, mine);
      if (running != null) {
        return running.thenApply(r -> r.failure() != null
            ? CallOutcome.failed(r.failure().status(), r.failure().reason(), r.failure().kind(),
                null) // billed to the first
            : CallOutcome.of(r.reply().shared()));
      }
      // Batch and live are two strategies of the same call: same cache key, same outcome. Completed
      // off the endpoint's pool: what the reply sets off (the tuple's next step, the judge's prompt
      // and parse, the next tuple of the window) must not hold one of the endpoint's threads, each of
      // which is a call the limits allow in flight.
      (spec.batched() ? batchCall(call, spec, endpoint, key)
          : CompletableFuture.supplyAsync(() -> run(call, spec, endpoint, key), endpoint.pool()))
          .whenCompleteAsync((r, e) -> {
            inFlight.remove(key, mine);
            if (e != null) {
              mine.completeExceptionally(e);
            } else {
              mine.complete(r);
            }
          }, AFTER_CALLS);
      return mine;
    }

    private CallOutcome run(Call call, ModelSpec spec, EndpointLimits.Endpoint endpoint, String key) {
      BudgetAttempts attempts = null;
      try {
        if (cache != null) {
          var hit = cache.get(key);
          // A cut answer cached for a model that grades them is no answer for one that fails them.
          if (hit.isPresent() && (!hit.get().truncated() || spec.gradesTruncated())) {
            ResponseCache.Entry e = keptApart(hit.get(), spec);
            if (e != null) {
              return CallOutcome.of(reply(e, 0, true));
            }
          }
        }
        attempts = new BudgetAttempts(ledger, budgetShare(), budgetShareNote(), spec,
            RunLedger.worstCaseMicros(spec, call), throttledMillis, endpoint);
        throttledMillis.addAndGet(endpoint.pace(RunLedger.worstCaseTokens(spec, call)));
        endpoint.inFlight().incrementAndGet();
        ChatResponse r;
        try {
          // The same max_tokens the budget and the pacing reserve for; temperatureSent is null where
          // the entry says the model takes none (send_temperature false).
          r = client(spec).complete(new ChatRequest(call.system(), call.user(), (int) RunLedger.maxOutputTokens(spec),
              spec.temperatureSent(), spec.seed(), call.schema()), attempts);
        } finally {
          endpoint.inFlight().decrementAndGet();
          attempts.release();
        }
        ResponseCache.Entry entry = new ResponseCache.Entry(r.text(), r.usage().inputTokens(),
            r.usage().outputTokens(), r.latencyMs(), r.usage().reasoningTokens(), r.usage().billedInputTokens(),
            r.usage().billedOutputTokens(), r.finishReason(), r.modelVersion(), r.truncated(), r.reasoning());
        if (r.truncated() && !spec.gradesTruncated()) {
          // Cut at max_tokens: a failure with what it cost, never graded, never cached.
          attempts.ended(key, true, r.usage(), false);
          return CallOutcome.failed(200, truncatedReason(spec, r), ModelCallException.TRUNCATED,
              reply(entry, r.attempts(), false));
        }
        boolean cached = cache != null;
        if (cached) {
          try {
            cache.put(key, entry);
          } catch (IOException e) {
            CacheWriteWarning.failed(cacheDirectory, e); // paid for: kept, only not cached
            cached = false;
          }
        }
        attempts.ended(key, false, r.usage(), cached);
        return CallOutcome.of(reply(entry, r.attempts(), false));
      } catch (ModelCallException e) {
        if (attempts != null) {
          attempts.ended(key, true, e.usage(), false);
        }
        // What the failing reply said and cost, for costs and failures.jsonl.
        return CallOutcome.failed(e.status(), e.getMessage(), e.kind(), new CallOutcome.Reply(e.text(),
            e.usage(), e.finishReason(), e.modelVersion(), 0, ModelCallException.TRUNCATED.equals(e.kind()),
            e.attempts(), false, e.reasoning()));
      } catch (IOException e) {
        return CallOutcome.failed(-1, "response cache: " + e.getMessage(), null, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CallOutcome.failed(-1, "interrupted", null, null);
      } catch (RuntimeException e) {
        return CallOutcome.failed(-1, e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
      }
    }

    /**
     * The batch strategy: a cached answer as live; else the call joins its model's next batch
     * ({@link BatchCalls}), its worst case reserved against the budget until the batch answers.
     */
    private CompletableFuture<CallOutcome> batchCall(Call call, ModelSpec spec, EndpointLimits.Endpoint endpoint,
        String key) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          if (cache != null) {
            var hit = cache.get(key);
            if (hit.isPresent() && (!hit.get().truncated() || spec.gradesTruncated())) {
              return CompletableFuture.completedFuture(CallOutcome.of(reply(hit.get(), 0, true)));
            }
          }
          long worst = RunLedger.worstCaseMicros(spec, call);
          var reserved = ledger.reserve(budgetShare(), worst);
          if (reserved.isEmpty()) {
            return CompletableFuture.completedFuture(CallOutcome.failed(-1,
                budgetRefusal(budgetShare(), ledger, budgetShareNote()), ModelCallException.BUDGET, null));
          }
          PipelineDefinition.Limit limit = definition.limit(spec);
          int attempts = limit.maxAttempts() != null ? limit.maxAttempts() : 3;
          return batches().call(spec, key, new ChatRequest(call.system(), call.user(),
              (int) RunLedger.maxOutputTokens(spec), spec.temperatureSent(), spec.seed()), attempts)
              .handle((r, e) -> {
                if (e == null) {
                  ledger.settle(reserved.get(), r.usage().costMicros(spec));
                  ResponseCache.Entry entry = BatchCalls.entry(r);
                  if (r.truncated() && !spec.gradesTruncated()) {
                    return CallOutcome.failed(200, truncatedReason(spec, r), ModelCallException.TRUNCATED,
                        reply(entry, r.attempts(), false));
                  }
                  return CallOutcome.of(reply(entry, r.attempts(), false)); // cached by the batch
                }
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
                if (cause instanceof ModelCallException m) {
                  ledger.settle(reserved.get(), m.usage().costMicros(spec));
                  return CallOutcome.failed(m.status(), m.getMessage(), m.kind(), new CallOutcome.Reply(m.text(),
                      m.usage(), m.finishReason(), m.modelVersion(), 0, ModelCallException.TRUNCATED.equals(m.kind()),
                      m.attempts(), false));
                }
                ledger.settle(reserved.get(), 0);
                return CallOutcome.failed(-1, cause.getClass().getSimpleName() + ": " + cause.getMessage(), null, null);
              });
        } catch (IOException e) {
          return CompletableFuture.completedFuture(CallOutcome.failed(-1, "response cache: " + e.getMessage(), null,
              null));
        } catch (RuntimeException e) {
          return CompletableFuture.completedFuture(CallOutcome.failed(-1, e.getClass().getSimpleName() + ": "
              + e.getMessage(), null, null));
        }
      }, endpoint.pool()).thenCompose(f -> f);
    }

    private BatchCalls batchCalls;

    private synchronized BatchCalls batches() {
      if (batchCalls == null) {
        batchCalls = BatchCalls.acquire(runId, cacheDirectory,
            name -> definition.anyModel(name).map(ModelCalls.this::resolve).orElse(null),
            s -> ModelClients.batchTarget(resolve(s), System::getenv));
      }
      return batchCalls;
    }

    private String truncatedReason(ModelSpec spec, ChatResponse r) {
      return String.format(java.util.Locale.ROOT, "%s: answer cut at max_tokens %d (finish reason %s; %d output "
          + "tokens%s); set on_truncation \"grade\" to grade cut answers, or raise max_tokens", spec.name(),
          RunLedger.maxOutputTokens(spec), r.finishReason(), r.usage().outputTokens(),
          r.usage().reasoningTokens() > 0 ? ", " + r.usage().reasoningTokens() + " of them reasoning" : "");
    }

    private CallOutcome.Reply reply(ResponseCache.Entry e, int attempts, boolean cached) {
      return new CallOutcome.Reply(e.text(), new Usage(e.inputTokens(), e.outputTokens(), e.reasoningTokens(),
          e.billedInputTokens(), e.billedOutputTokens()), e.finishReason(), e.modelVersion(), e.latencyMs(),
          e.truncated(), attempts, cached, e.reasoning());
    }

    /**
     * A cache entry as this model's reasoning mode keeps it: entries cached before traces were kept
     * apart hold the inline trace in their text, split here; one cut inside its trace is no answer
     * (null: asked again).
     */
    private ResponseCache.Entry keptApart(ResponseCache.Entry e, ModelSpec spec) {
      ReasoningTrace trace = ReasoningTrace.of(spec);
      if (e.reasoning() != null || !trace.readsTags()) {
        return e;
      }
      ReasoningTrace.Split split = trace.split(e.text(), null);
      if (split.unclosed()) {
        return null;
      }
      if (split.trace() == null) {
        return e;
      }
      Usage u = ReasoningTrace.counted(new Usage(e.inputTokens(), e.outputTokens(), e.reasoningTokens(),
          e.billedInputTokens(), e.billedOutputTokens()), split.answer(), split.trace());
      return new ResponseCache.Entry(split.answer(), e.inputTokens(), e.outputTokens(), e.latencyMs(),
          u.reasoningTokens(), e.billedInputTokens(), e.billedOutputTokens(), e.finishReason(), e.modelVersion(),
          e.truncated(), split.trace());
    }

    /**
     * Milliseconds this session's calls (models and judges alike) waited on limits or on a provider's
     * 429 since the last drain; for Beam's throttling counter, which must be incremented on the
     * DoFn's thread.
     */
    public long drainThrottledMillis() {
      return throttledMillis.getAndSet(0);
    }

    /** Call after every call of this session has finished. */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (batchCalls != null) {
        BatchCalls.release(runId);
        batchCalls = null;
      }
      clients.values().forEach(ModelClient::close);
      clients.clear();
      endpoints.keySet().forEach(k -> EndpointLimits.release(k, endpointLimits.get(k)));
      endpoints.clear();
      RunLedger.release(runId);
    }
  }
}
