package dev.cltbench.clients;

import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How a run reaches its models: clients per model (keys read from the environment on the worker, never
 * carried in this serializable object), the response cache, and the per-endpoint limits. A worker opens
 * one {@link Session} in its DoFn's {@code @Setup}.
 */
public final class ModelCalls implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Makes the client of one model; production uses the real provider protocols. */
  public interface ClientFactory extends Serializable {
    Client create(ModelSpec spec);
  }

  /** A blocking call to one model: retries and timeouts are the client's business. */
  public interface Client extends AutoCloseable {
    ResponseCache.Entry complete(String system, String user) throws CallFailedException;

    @Override
    default void close() {}
  }

  /** A call that failed for good (permanent error, or retries exhausted). */
  public static final class CallFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public CallFailedException(int status, String reason) {
      super(reason);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** A finished call: the step, or the failure. */
  public record Result(EvaluationTuple.Step step, EvaluationTuple.Failure failure) {}

  private final PipelineDefinition definition;
  private final String cacheDirectory;
  private final String emulatorUrl;
  private final ClientFactory factory;
  private final String runId = java.util.UUID.randomUUID().toString();
  private Double budgetUsd;

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

  /** Stops new calls before the run's spending (at the pipeline file's prices) would pass this cap. */
  public ModelCalls withBudget(Double usd) {
    this.budgetUsd = usd;
    return this;
  }

  /** This run's spending and progress in the current JVM. */
  public RunLedger ledger() {
    return RunLedger.of(runId);
  }

  /** The spec as called: the emulator's address in place of {@code emulator}. */
  public ModelSpec resolve(ModelSpec m) {
    if (!PipelineDefinition.EMULATOR_URL.equals(m.baseUrl())) {
      return m;
    }
    if (emulatorUrl == null) {
      throw new IllegalStateException("model " + m.name() + " uses the emulator, but none is running");
    }
    return new ModelSpec(m.name(), m.provider(), m.modelId(), m.family(), emulatorUrl, m.apiKeyEnv(),
        m.route(), m.maxTokens(), m.temperature(), m.seed(), m.limitGroup(),
        m.inputPricePerMillion(), m.outputPricePerMillion());
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
    return new ModelSpec(m.name(), m.provider(), m.modelId(), m.family(), m.baseUrl(), m.apiKeyEnv(),
        m.route(), m.maxTokens(), m.temperature(), seed, m.limitGroup(), m.inputPricePerMillion(),
        m.outputPricePerMillion());
  }

  public Session open() {
    return new Session();
  }

  /** One worker's clients and cache. */
  public final class Session implements AutoCloseable {
    private final Map<String, Client> clients = new HashMap<>();
    private final ResponseCache cache = cacheDirectory == null ? null : new ResponseCache(cacheDirectory);

    private synchronized Client client(ModelSpec spec) {
      return clients.computeIfAbsent(spec.name() + "#" + spec.seed(), n -> factory.create(resolve(spec)));
    }

    /** Makes the call for a tuple's next step; a failure stops the tuple. */
    public CompletableFuture<EvaluationTuple> call(Call call, EvaluationTuple t) {
      return callForResult(call).thenApply(
          r -> r.failure() != null ? t.withFailure(r.failure()) : t.withStep(r.step()));
    }

    /**
     * Makes a call, or joins the identical call already in flight in this JVM (two conditions asking
     * the same translation at once): the models never answer the same request twice in one run, and
     * the joiner's step counts as cached.
     */
    public CompletableFuture<Result> callForResult(Call call) {
      ModelSpec spec = forEpoch(definition.anyModel(call.model()).orElseThrow(
          () -> new IllegalArgumentException("unknown model " + call.model())), call.epoch());
      EndpointLimits.Endpoint endpoint =
          EndpointLimits.of(spec.limitKey(), definition.limit(spec));
      String key = ResponseCache.key(spec, call.system(), call.user(), call.epoch());
      Map<String, CompletableFuture<Result>> inFlight = ledger().inFlight();
      CompletableFuture<Result> mine = new CompletableFuture<>();
      CompletableFuture<Result> running = inFlight.putIfAbsent(key, mine);
      if (running != null) {
        return running.thenApply(r -> r.failure() != null
            ? new Result(null, new EvaluationTuple.Failure(call.stage(), r.failure().provider(),
                r.failure().status(), r.failure().reason()))
            : new Result(restage(r.step(), call), null));
      }
      CompletableFuture.supplyAsync(() -> run(call, spec, endpoint, key), endpoint.pool())
          .whenComplete((r, e) -> {
            inFlight.remove(key, mine);
            if (e != null) {
              mine.completeExceptionally(e);
            } else {
              mine.complete(r);
            }
          });
      return mine;
    }

    /** The shared answer as a step of the joining call: its own stage and model name, no new call. */
    private EvaluationTuple.Step restage(EvaluationTuple.Step s, Call call) {
      return new EvaluationTuple.Step(call.stage(), call.model(), call.system(), call.user(), s.output(),
          s.inputTokens(), s.outputTokens(), s.latencyMs(), true);
    }

    private Result run(Call call, ModelSpec spec, EndpointLimits.Endpoint endpoint, String key) {
      try {
        if (cache != null) {
          var hit = cache.get(key);
          if (hit.isPresent()) {
            return new Result(step(call, hit.get(), true), null);
          }
        }
        RunLedger ledger = ledger();
        long reserved = ledger.reserve(budgetUsd, RunLedger.worstCaseMicros(spec, call.system(), call.user()))
            .orElseThrow(() -> new CallFailedException(-1, String.format(java.util.Locale.ROOT,
                "budget cap of %.2f USD reached (%.4f USD spent): call not made", budgetUsd,
                ledger.spentUsd())));
        endpoint.pace(RunLedger.worstCaseTokens(spec, call.system(), call.user()));
        endpoint.inFlight().incrementAndGet();
        ResponseCache.Entry entry = null;
        try {
          entry = client(spec).complete(call.system(), call.user());
        } finally {
          endpoint.inFlight().decrementAndGet();
          ledger.settle(reserved, entry == null ? 0
              : RunLedger.costMicros(spec, entry.inputTokens(), entry.outputTokens()));
        }
        if (cache != null) {
          cache.put(key, entry);
        }
        return new Result(step(call, entry, false), null);
      } catch (CallFailedException e) {
        return new Result(null,
            new EvaluationTuple.Failure(call.stage(), spec.provider(), e.status(), e.getMessage()));
      } catch (IOException e) {
        return new Result(null, new EvaluationTuple.Failure(call.stage(), spec.provider(), -1,
            "response cache: " + e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(null, new EvaluationTuple.Failure(call.stage(), spec.provider(), -1, "interrupted"));
      } catch (RuntimeException e) {
        return new Result(null, new EvaluationTuple.Failure(call.stage(), spec.provider(), -1,
            e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }

    private EvaluationTuple.Step step(Call call, ResponseCache.Entry e, boolean cached) {
      return new EvaluationTuple.Step(call.stage(), call.model(), call.system(), call.user(), e.text(),
          e.inputTokens(), e.outputTokens(), e.latencyMs(), cached);
    }

    /** Milliseconds waited on limits since the last drain, over all endpoints this session used. */
    public long drainThrottledMillis() {
      long ms = 0;
      for (ModelSpec m : definition.models()) {
        ms += EndpointLimits.of(m.limitKey(), definition.limit(m)).drainThrottledMillis();
      }
      return ms;
    }

    @Override
    public void close() {
      clients.values().forEach(Client::close);
      clients.clear();
    }
  }
}
