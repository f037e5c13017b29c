package dev.cltbench.clients;

/** A blocking chat call to one model. Implementations are thread-safe. */
public interface ModelClient extends AutoCloseable {
  ChatResponse complete(ChatRequest request) throws ModelCallException;

  /** One call, each HTTP attempt reported to {@code attempts} (a single attempt unless retried). */
  default ChatResponse complete(ChatRequest request, Attempts attempts) throws ModelCallException {
    attempts.before();
    try {
      ChatResponse r = complete(request);
      attempts.after(r.usage());
      return r;
    } catch (ModelCallException e) {
      attempts.after(e.usage());
      throw e;
    }
  }

  @Override
  default void close() {}
}
