package dev.cltbench.clients;

import java.time.Duration;

/**
 * Retries a client's retryable failures under a {@link RetryPolicy}; permanent failures (400, 401,
 * 403, 404, 422, refusals) and the last failure of the budget are thrown as they came.
 */
public final class RetryingModelClient implements ModelClient {
  /** How a wait is spent; tests record it instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final ModelClient delegate;
  private final RetryPolicy policy;
  private final Sleeper sleeper;

  public RetryingModelClient(ModelClient delegate, RetryPolicy policy) {
    this(delegate, policy, d -> Thread.sleep(d.toMillis()));
  }

  public RetryingModelClient(ModelClient delegate, RetryPolicy policy, Sleeper sleeper) {
    this.delegate = delegate;
    this.policy = policy;
    this.sleeper = sleeper;
  }

  @Override
  public ChatResponse complete(ChatRequest request) throws ModelCallException {
    for (int attempt = 1; ; attempt++) {
      try {
        return delegate.complete(request);
      } catch (ModelCallException e) {
        if (!e.retryable() || attempt >= policy.maxAttempts()) {
          if (!e.retryable() || policy.maxAttempts() == 1) {
            throw e;
          }
          throw new ModelCallException(e.status(), true, e.retryAfter(),
              "gave up after " + attempt + " attempts: " + e.getMessage());
        }
        try {
          sleeper.sleep(policy.delayAfter(attempt, e));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new ModelCallException(-1, false, null, "interrupted while backing off: " + e.getMessage());
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
