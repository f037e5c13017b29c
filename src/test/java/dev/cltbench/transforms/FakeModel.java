package dev.cltbench.transforms;

import dev.cltbench.clients.ChatResponse;
import dev.cltbench.clients.ModelCallException;
import dev.cltbench.clients.ModelCalls;
import dev.cltbench.clients.ModelClient;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process model for pipeline tests (as Inspect AI's {@code mockllm}): every model and judge of
 * a definition answers through {@link #reply}, a function of who is asked, the system prompt and the
 * user text, with no HTTP and no key. Every call is logged under the fake's name, so a test can say
 * which calls were made (the log is per JVM, where the DirectRunner runs the DoFns).
 */
final class FakeModel implements ModelCalls.ClientFactory {
  private static final long serialVersionUID = 1L;
  private static final Map<String, List<String>> CALLS = new ConcurrentHashMap<>();
  private static final Map<String, java.util.concurrent.atomic.AtomicInteger> NOW = new ConcurrentHashMap<>();
  private static final Map<String, java.util.concurrent.atomic.AtomicInteger> PEAK = new ConcurrentHashMap<>();

  /** A reply to one call. */
  interface Reply extends Serializable {
    String to(String model, String system, String user);
  }

  private final String name;
  private final Reply reply;
  private final long latencyMs;

  FakeModel(String name, Reply reply) {
    this(name, reply, 0);
  }

  /** A fake whose every call takes {@code latencyMs}, counting how many are in flight at once. */
  FakeModel(String name, Reply reply, long latencyMs) {
    this.name = name;
    this.reply = reply;
    this.latencyMs = latencyMs;
    CALLS.put(name, new CopyOnWriteArrayList<>());
    NOW.put(name, new java.util.concurrent.atomic.AtomicInteger());
    PEAK.put(name, new java.util.concurrent.atomic.AtomicInteger());
  }

  /** The most calls that were in flight at once. */
  int peakInFlight() {
    return PEAK.get(name).get();
  }

  /** The models asked so far, one entry a call, in no particular order. */
  List<String> calls() {
    return List.copyOf(CALLS.get(name));
  }

  ModelCalls calls(dev.cltbench.study.PipelineDefinition definition) {
    // Emulated models need an address to stand for "emulator"; the fake never connects to it.
    return new ModelCalls(definition, null, "http://127.0.0.1:9/fake", this);
  }

  @Override
  public ModelClient create(ModelSpec spec) {
    String log = name;
    Reply r = reply;
    long sleep = latencyMs;
    // The default complete(request, attempts) reserves the budget before the call, as a real client does.
    return request -> {
      CALLS.get(log).add(spec.name());
      int now = NOW.get(log).incrementAndGet();
      PEAK.get(log).accumulateAndGet(now, Math::max);
      try {
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelCallException(-1, false, null, "interrupted");
      } finally {
        NOW.get(log).decrementAndGet();
      }
      String text = r.to(spec.name(), request.system(), request.user());
      return new ChatResponse(text, request.user().length() / 2, text.length() / 2, "stop", 1);
    };
  }
}
