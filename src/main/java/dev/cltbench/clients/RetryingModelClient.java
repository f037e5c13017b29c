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
    return complete(request, Attempts.NONE);
  }

  /**
   * As {@link #complete(ChatRequest)}, telling {@code attempts} about every HTTP attempt: before it (the
   * budget may refuse it) and after it with the usage its reply reported, failed replies included.
   */
  @Override
  public ChatResponse complete(ChatRequest request, Attempts attempts) throws ModelCallException {
    Usage failedUsage = Usage.NONE;
    for (int attempt = 1; ; attempt++) {
      try {
        attempts.before();
      } catch (ModelCallException refused) {
        // The budget stopped a retry: the failure keeps what the attempts made so far reported.
        throw refused.after(attempt - 1, refused.getMessage(), failedUsage);
      }
      try {
        ChatResponse r = delegate.complete(request);
        attempts.after(r.usage());
        return r.withAttempts(attempt);
      } catch (ModelCallException e) {
        attempts.after(e.usage());
        if (!e.retryable() || attempt >= policy.maxAttempts()) {
          String message = !e.retryable() || policy.maxAttempts() == 1 ? e.getMessage()
              : "gave up after " + attempt + " attempts: " + e.getMessage();
          throw e.after(attempt, message, failedUsage);
        }
        failedUsage = failedUsage.plus(e.usage());
        Duration delay = policy.delayAfter(attempt, e);
        if (e.status() == 429) {
          attempts.throttled(delay.toMillis());
        }
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new ModelCallException(-1, false, null, "interrupted while backing off: " + e.getMessage(),
              null, failedUsage, null, null, null, attempt);
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
