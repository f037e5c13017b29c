package dev.cltbench.clients;

import dev.cltbench.study.PipelineDefinition.Limit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-endpoint limits shared by every DoFn instance in a JVM: a fixed pool with as many threads as
 * the endpoint may have calls in flight (so a blocking HTTP call never waits on a lock), and a
 * requests-per-minute pacer. Hand-written because Beam has no request/response IO on this version and
 * the few lines do not justify a dependency. On a cluster each worker applies the file's limits on its
 * own; what holds for the account is the providers' rate-limit headers, which every worker reads
 * ({@link Endpoint#observe}).
 * Opened in a DoFn's {@code @Setup} and released in its {@code @Teardown}: the last release of an
 * endpoint stops its pool and forgets it.
 */
public final class EndpointLimits {
  private static final PerJvm<Account> ACCOUNTS = new PerJvm<>(a -> { });
  private static final PerJvm<Endpoint> ENDPOINTS = new PerJvm<>(e -> {
    e.pool.shutdown();
    ACCOUNTS.release(e.accountKey);
  });

  /**
   * What a provider account's rate-limit headers allow, shared by every endpoint of this JVM that
   * calls that account (one base URL and key): pacing each endpoint on its own would let the JVM's
   * endpoints together send several times what the account refills.
   */
  static final class Account {
    /** No request starts before this, nor sooner than the interval after the last. */
    private long nextStart;
    private long intervalNanos;
    /** Slow start: until a first reply is back, one request at a time finds out what the account allows. */
    private boolean heard;
    private boolean probing;

    /** The start of a request that may start at {@code now} at the earliest; books the next. */
    synchronized long reserve(long now) {
      long start = Math.max(now, nextStart);
      nextStart = start + intervalNanos;
      return start;
    }
  }

  private EndpointLimits() {}

  /** One endpoint's pool and pacer. */
  public static final class Endpoint {
    static final long PROBE_MILLIS = 5000;
    private final ExecutorService pool;
    private final long intervalNanos;
    private final long tokensPerMinute;
    private long nextStart;
    private long nextTokenStart;
    private final Account account;
    private final String accountKey;
    private final AtomicInteger inFlight = new AtomicInteger();

    Endpoint(String name, Limit limit) {
      this(name, limit, new Account(), null);
    }

    Endpoint(String name, Limit limit, Account account, String accountKey) {
      this.account = account;
      this.accountKey = accountKey;
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
      long wait;
      long probed = probe();
      long now = System.nanoTime();
      long afterHeaders = account.reserve(now);
      synchronized (this) {
        long start = Math.max(afterHeaders, nextStart);
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
      return probed + wait / 1_000_000;
    }

    /**
     * The first request of an endpoint goes alone (a JVM's threads would otherwise all start at once,
     * before any reply said what is left); the others wait for its reply, at most {@link #PROBE_MILLIS}.
     */
    private long probe() throws InterruptedException {
      long t0 = System.nanoTime();
      synchronized (account) {
        if (account.heard) {
          return 0;
        }
        if (!account.probing) {
          account.probing = true;
          return 0;
        }
        long deadline = t0 + PROBE_MILLIS * 1_000_000L;
        while (!account.heard && System.nanoTime() < deadline) {
          account.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        account.heard = true; // a probe that never answers does not hold the account for good
      }
      return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Waits until the provider's headers let the next request start (a retry's attempt: the file's
     * pacers counted the call already). Returns the milliseconds waited.
     */
    public long gate() throws InterruptedException {
      long now = System.nanoTime();
      long wait = account.reserve(now) - now;
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      return wait / 1_000_000;
    }

    /**
     * Adapts this JVM's pace to what the provider said of the account. A 429's retry-after stops every
     * request of the endpoint for that long, not only the one refused. The requests left are spread
     * over the time until the quota is full again: each worker starts its next request no sooner than
     * reset / remaining after the last. Workers that share an account see the same figures, so N of
     * them settle where remaining is about 1/(N+1) of the quota and together send what it refills,
     * without knowing N; while plenty is left, the interval is near 0 and nothing slows.
     */
    public void observe(RateLimitHeaders h) {
      synchronized (account) {
        if (!account.heard) {
          account.heard = true;
          account.notifyAll();
        }
        if (h == null) {
          return;
        }
        long now = System.nanoTime();
        if (h.retryAfter() != null) {
          account.nextStart = Math.max(account.nextStart, now + h.retryAfter().toNanos());
        }
        if (h.remainingRequests() != null && h.resetRequests() != null) {
          long spread = h.resetRequests().toNanos() / Math.max(1, h.remainingRequests());
          // With nothing left, reset / 1 would wait for the whole quota to refill before one request:
          // no longer than two of the account's refill periods (its limit is per minute), so two
          // workers at the floor send what it refills and more of them meet 429s and retry-after.
          account.intervalNanos = h.limitRequests() == null || h.limitRequests() <= 0 ? spread
              : Math.min(spread, 2 * 60_000_000_000L / h.limitRequests());
        }
      }
    }

    public AtomicInteger inFlight() {
      return inFlight;
    }
  }

  /**
   * Opens the endpoint of limits bucket {@code key}; every call must be matched by one {@link
   * #release}. Keyed by the limit too, so two pipelines of one JVM that set other limits on the same
   * bucket do not share a pool.
   */
  public static Endpoint acquire(String key, Limit limit) {
    return acquire(key, limit, "bucket:" + key);
  }

  /**
   * As {@link #acquire(String, Limit)}, pacing by the rate-limit headers of provider account {@code
   * account} (a base URL and key) together with the other endpoints of this JVM that call it.
   */
  public static Endpoint acquire(String key, Limit limit, String account) {
    return ENDPOINTS.acquire(registryKey(key, limit), k -> new Endpoint(key.replaceAll("[^A-Za-z0-9]", "_"), limit,
        ACCOUNTS.acquire(account, a -> new Account()), account));
  }

  public static void release(String key, Limit limit) {
    ENDPOINTS.release(registryKey(key, limit));
  }

  private static String registryKey(String key, Limit limit) {
    return key + "\u0000" + limit;
  }

  /** Endpoints some DoFn of this JVM has open (0 once every DoFn was torn down). */
  public static int open() {
    return ENDPOINTS.size();
  }

  public static int totalInFlight() {
    int n = 0;
    for (Endpoint e : ENDPOINTS.values()) {
      n += e.inFlight.get();
    }
    return n;
  }
}
