package dev.cltbench.clients;

/** A blocking chat call to one model. Implementations are thread-safe. */
public interface ModelClient extends AutoCloseable {
  ChatResponse complete(ChatRequest request) throws ModelCallException;

  @Override
  default void close() {}
}
