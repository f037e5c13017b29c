package dev.cltbench.clients;

/**
 * Told about every HTTP attempt of a call, so the budget is reserved before each billed request and
 * settled with what that request's reply reported, not once per call.
 */
public interface Attempts {
  /** Before an attempt; throws a permanent failure when it must not be made (the budget cap). */
  void before() throws ModelCallException;

  /** After an attempt, with the usage its reply carried ({@link Usage#NONE} when none). */
  void after(Usage billed);

  /**
   * Before the client sleeps {@code millis} because the provider throttled it (a 429): time Beam's
   * throttling counter should see.
   */
  default void throttled(long millis) {}

  Attempts NONE = new Attempts() {
    @Override
    public void before() {}

    @Override
    public void after(Usage billed) {}
  };
}
