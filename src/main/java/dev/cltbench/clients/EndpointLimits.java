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
   * What a provider account's rate-limit headers allow this JVM, shared by every endpoint of this JVM
   * that calls that account (one base URL and key): pacing each endpoint on its own would let the JVM's
   * endpoints together send several times what the account refills.
   *
   * <p>A controller on the account's shared level: every worker of a job reads the same {@code
   * remaining} from the provider, so each JVM sets its rate from it, with no word between workers.
   * The rate is {@code base x level / TARGET} (the proportional part: a bucket emptying slows every
   * worker at once, before it is empty and 429s come; a full one speeds them up), and {@code base},
   * this JVM's share of the refill rate, creeps up while the level is above {@code TARGET} and down
   * below it (the integral part: N workers settle at about 1/N of the refill each, the level at the
   * target, without knowing N). A 429 cuts {@code base} by {@link #CUT}. Requests wait at a gate that
   * lets one through every 1/rate (rechecked whenever a reply changes the rate), never booked seconds
   * ahead at a rate that has since changed. Hand-written: no maintained library adapts a rate to a
   * remote bucket's level (Guava's RateLimiter only paces at a rate it is given).
   */
  static final class Account {
    /** The level (remaining / capacity) the workers together keep the account's bucket at. */
    static final double TARGET = 0.5;
    /** How fast {@code base} follows the level: its rate of change per second at a level off by 1. */
    static final double GAIN = 1.0;
    /** What a 429 leaves of {@code base}; at most once a second. */
    static final double CUT = 0.7;
    /** No start before this (a 429's retry-after). */
    private long holdUntil;
    private long lastStart = Long.MIN_VALUE / 4;
    /** Requests a second this JVM may start on the account; 0: unpaced (nothing said yet). */
    private double rate;
    /** This JVM's share of the account's refill rate, requests a second; 0 until a reply said the limit. */
    private double base;
    /** The largest bucket the replies showed (remaining plus what refills until reset). */
    private double capacity;
    private long lastObserved;
    private long lastCut = Long.MIN_VALUE / 4;
    /** Slow start: until a first reply is back, one request at a time finds out what the account allows. */
    private boolean heard;
    private boolean probing;

    /**
     * Waits until the account lets one more request start: after any retry-after, and 1/rate after the
     * last start (a start late by the scheduler may catch up one interval, no more). Returns the
     * nanoseconds waited.
     */
    synchronized long admit() throws InterruptedException {
      long t0 = System.nanoTime();
      while (true) {
        long now = System.nanoTime();
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        long next = Math.max(holdUntil, lastStart + interval);
        if (next <= now) {
          lastStart = Math.max(lastStart + interval, now - interval);
          return now - t0;
        }
        long w = next - now;
        wait(w / 1_000_000, (int) (w % 1_000_000));
      }
    }

    /** Adapts the rate to what a reply said (see the class comment); wakes the waiting requests. */
    synchronized void observe(RateLimitHeaders h, long now) {
      if (h.retryAfter() != null) {
        holdUntil = Math.max(holdUntil, now + h.retryAfter().toNanos());
        if (base > 0 && now - lastCut > 1_000_000_000L) {
          base *= CUT;
          lastCut = now;
        }
      }
      Long remaining = h.remainingRequests();
      if (remaining != null && h.limitRequests() != null && h.limitRequests() > 0) {
        double refill = h.limitRequests() / 60.0; // the providers' request limits are per minute
        capacity = Math.max(capacity, remaining + 1);
        if (h.resetRequests() != null) {
          capacity = Math.max(capacity, remaining + h.resetRequests().toNanos() / 1e9 * refill);
        }
        double level = Math.min(1, remaining / capacity);
        if (base == 0) {
          base = refill / 2; // the first reply: half the account, until the level says more or less
        } else {
          double dt = Math.min(1.0, (now - lastObserved) / 1e9);
          base *= Math.exp(GAIN * (level - TARGET) * dt);
        }
        base = Math.max(refill / 100, Math.min(refill, base));
        lastObserved = now;
        rate = base * Math.max(0.1, Math.min(2, level / TARGET));
      } else if (remaining != null && h.resetRequests() != null) {
        // No limit said: spread what is left over the time until the bucket is full again.
        rate = Math.max(1, remaining) / Math.max(1e-3, h.resetRequests().toNanos() / 1e9);
      }
      notifyAll();
    }

    synchronized double rate() {
      return rate;
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
      synchronized (this) {
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
      // The account's gate last, so the request starts as soon as it lets it.
      return probed + (wait + account.admit()) / 1_000_000;
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
      return account.admit() / 1_000_000;
    }

    /**
     * Adapts this JVM's pace on the account to what the provider said of it ({@link Account}): a
     * 429's retry-after stops every request of the account for that long, not only the one refused.
     */
    public void observe(RateLimitHeaders h) {
      synchronized (account) {
        if (!account.heard) {
          account.heard = true;
          account.notifyAll();
        }
      }
      if (h != null) {
        account.observe(h, System.nanoTime());
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

  /**
   * One worker's share of a pipeline file's limits when {@code workers} JVMs run the job: concurrency,
   * requests and tokens a minute divided by it (rounded down, at least 1 where the file sets any), so the
   * workers together stay within the file's limits for the account even where the provider sends no
   * rate-limit headers to adapt to (Gemini, Cohere).
   */
  public static Limit share(Limit limit, int workers) {
    if (workers <= 1) {
      return limit;
    }
    return new Limit(Math.max(1, limit.concurrency() / workers), part(limit.requestsPerMinute(), workers),
        part(limit.tokensPerMinute(), workers), limit.maxAttempts(), limit.timeoutSeconds());
  }

  private static int part(int perMinute, int workers) {
    return perMinute <= 0 ? perMinute : Math.max(1, perMinute / workers);
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
