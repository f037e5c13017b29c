package dev.cltbench.clients;

import dev.cltbench.study.PipelineDefinition.Limit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-endpoint limits shared by every DoFn instance in a JVM: a fixed pool with as many threads as
 * the endpoint may have calls in flight (so a blocking HTTP call never waits on a lock), and a
 * requests-per-minute pacer. Hand-written because Beam has no request/response IO on this version and
 * the few lines do not justify a dependency. On a cluster each worker applies the limits on its own.
 */
public final class EndpointLimits {
  private static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

  private EndpointLimits() {}

  /** One endpoint's pool and pacer. */
  public static final class Endpoint {
    private final ExecutorService pool;
    private final long intervalNanos;
    private final long tokensPerMinute;
    private long nextStart;
    private long nextTokenStart;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong throttledMillis = new AtomicLong();

    Endpoint(String name, Limit limit) {
      AtomicInteger n = new AtomicInteger();
      this.pool = Executors.newFixedThreadPool(limit.concurrency(), r -> {
        Thread t = new Thread(r, "cltbench-" + name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      this.intervalNanos = limit.requestsPerMinute() > 0 ? 60_000_000_000L / limit.requestsPerMinute() : 0;
      this.tokensPerMinute = limit.tokensPerMinute();
    }

    public ExecutorService pool() {
      return pool;
    }

    /**
     * Waits until the pacers let the next request start: requests per minute, and tokens per minute
     * counted at the call's worst case ({@code tokens}: prompt estimate plus max_tokens), so the budget
     * holds whatever the model answers. Returns the milliseconds waited.
     */
    public long pace(long tokens) throws InterruptedException {
      if (intervalNanos == 0 && tokensPerMinute <= 0) {
        return 0;
      }
      long wait;
      synchronized (this) {
        long now = System.nanoTime();
        long start = Math.max(now, nextStart);
        if (tokensPerMinute > 0) {
          start = Math.max(start, nextTokenStart);
          nextTokenStart = start + tokens * 60_000_000_000L / tokensPerMinute;
        }
        nextStart = start + intervalNanos;
        wait = start - now;
      }
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      long ms = wait / 1_000_000;
      throttledMillis.addAndGet(ms);
      return ms;
    }

    public AtomicInteger inFlight() {
      return inFlight;
    }

    /** Milliseconds spent waiting on limits since the last call (for Beam's throttling counter). */
    public long drainThrottledMillis() {
      return throttledMillis.getAndSet(0);
    }
  }

  public static Endpoint of(String key, Limit limit) {
    return ENDPOINTS.computeIfAbsent(key, k -> new Endpoint(k.replaceAll("[^A-Za-z0-9]", "_"), limit));
  }

  public static int totalInFlight() {
    int n = 0;
    for (Endpoint e : ENDPOINTS.values()) {
      n += e.inFlight.get();
    }
    return n;
  }
}
