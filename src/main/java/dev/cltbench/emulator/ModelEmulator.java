package dev.cltbench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cltbench.emulator.FaultPlan.Fault;
import dev.cltbench.emulator.Responder.Protocol;
import dev.cltbench.emulator.Responder.Reply;
import dev.cltbench.emulator.Responder.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 that speaks the four chat protocols the clients use (OpenAI chat
 * completions at /v1/chat/completions and /chat/completions, Anthropic /v1/messages, Gemini
 * /v1beta/models/{model}:generateContent, Cohere /v2/chat), answering through a {@link Responder},
 * with latency, provider-style limits (429 + Retry-After) and reproducible faults. Offline runs,
 * tests and benchmarks use it in place of real providers. Built on the JDK's HTTP server: a handful
 * of routes did not justify a server dependency.
 */
public final class ModelEmulator implements AutoCloseable {
  static {
    // The JDK's server writes a reply's headers and body as separate segments without TCP_NODELAY:
    // Nagle's algorithm then holds the body until the client's delayed ACK, about 40 ms a call the
    // client waits and the endpoint is idle (bench: 146 ms a 100 ms call). Read once, when the
    // server's configuration class loads, so it is set before any server starts; a user's value wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern GEMINI_PATH = Pattern.compile("/v1beta/models/([^/:]+):generateContent");
  private static final int RECORDED_MAX = 1000;

  /** A request as it arrived (header names in lower case), for tests that check the wire shape. */
  public record RecordedRequest(String path, Map<String, String> headers, String body) {}

  private record Permanent(Predicate<Request> when, Fault fault) {}

  /**
   * The hard cases of one emulated model, as real providers send them: {@code truncate} "with_text"
   * (the provider's max-tokens finish reason, text cut in half) or "no_text" (that finish reason and
   * no text at all, as a reasoning model that spent max_tokens thinking); {@code noText} a final
   * finish reason with no text; fixed usage (null: word counts); {@code reasoningTokens} reported
   * as reasoning or thinking on top of the visible output; Cohere's billed units where they differ;
   * {@code reasoning} the shape of a reasoning trace sent with each OpenAI-protocol answer
   * ({@code think-tags} inline before it, {@code reasoning_content} or {@code reasoning} a message
   * field; its words billed in completion_tokens with no reasoning_tokens, as vLLM does); {@code
   * proseRate} the share of JSON replies (a judge's) sent as prose instead when the request carries
   * no schema.
   */
  public record Behaviour(String truncate, boolean noText, Long inputTokens, Long outputTokens,
      long reasoningTokens, Long billedInputTokens, Long billedOutputTokens, String reasoning, double proseRate) {
    static final Behaviour PLAIN = new Behaviour(null, false, null, null, 0, null, null);

    public Behaviour(String truncate, boolean noText, Long inputTokens, Long outputTokens, long reasoningTokens,
        Long billedInputTokens, Long billedOutputTokens) {
      this(truncate, noText, inputTokens, outputTokens, reasoningTokens, billedInputTokens, billedOutputTokens,
          null, 0);
    }
  }

  /**
   * A reply with its usage settled: visible output and reasoning apart; {@code trace} the reasoning
   * trace sent with it in the model's shape (null when none).
   */
  private record Answer(Reply reply, Behaviour how, long input, long output, long reasoning, String trace) {
    boolean cut() {
      return how.truncate() != null;
    }

    /** The text sent, or null for none. */
    String text() {
      if (how.noText() || "no_text".equals(how.truncate())) {
        return null;
      }
      if ("with_text".equals(how.truncate())) {
        String t = reply.text();
        return t.substring(0, t.length() / 2);
      }
      return reply.text();
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Responder responder;
  private final Duration latency;
  private final double latencyScale;
  private final Map<String, Integer> maxConcurrent;
  private final int ratePerSecond;
  private final FaultPlan faults;
  private final List<Permanent> permanent;
  private final String requiredKey;
  private final Map<String, Behaviour> behaviours;
  private final BatchService batches;

  private final AtomicLong requests = new AtomicLong();
  /** The account quota's bucket (requests_per_minute, burst): requests left, refilled continuously. */
  private final int quotaPerMinute;
  private final double quotaBurst;
  private double quotaLeft;
  private long quotaAt = System.nanoTime();
  private final AtomicLong quotaRejections = new AtomicLong();
  private final AtomicLong faultsInjected = new AtomicLong();
  private final AtomicLong limitRejections = new AtomicLong();
  private final Map<String, AtomicLong> callsByModel = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlightByModel = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  /** Busy-time bookkeeping, under its own lock: since when calls are in flight, and the sums. */
  private final Object busyLock = new Object();
  private int busyCalls;
  private long busySince;
  private long busyNanos;
  private long callNanos;
  private long firstAdmitted = -1;
  private long slowestBegan;
  private long slowestNanos = -1;
  private long lastReplied;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final Deque<Long> recentStarts = new ArrayDeque<>();
  private final Deque<RecordedRequest> recorded = new ArrayDeque<>();

  private ModelEmulator(Builder b) throws IOException {
    this.responder = b.responder != null ? b.responder : new SyntheticResponder();
    this.latency = b.latency;
    this.latencyScale = b.latencyScale;
    this.maxConcurrent = Map.copyOf(b.maxConcurrent);
    this.ratePerSecond = b.ratePerSecond;
    this.quotaPerMinute = b.quotaPerMinute;
    this.quotaBurst = b.quotaBurst > 0 ? b.quotaBurst : Math.max(1, b.quotaPerMinute / 60.0);
    this.quotaLeft = quotaBurst;
    this.faults = b.faults;
    this.permanent = List.copyOf(b.permanent);
    this.requiredKey = b.requiredKey;
    this.behaviours = Map.copyOf(b.behaviours);
    this.batches = new BatchService((p, model, body) -> encode(p, decode(p, model,
        Map.of("anthropic-version", "batch"), body), answer(decode(p, model, Map.of("anthropic-version", "batch"), body))),
        b.batchStateDir, b.batchDelay, b.batchFailEvery, b.batchExpireEvery);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 128);
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "model-emulator-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings; everything optional. */
  public static final class Builder {
    private int port;
    private Responder responder;
    private Duration latency = Duration.ZERO;
    private double latencyScale = 1.0;
    private final Map<String, Integer> maxConcurrent = new HashMap<>();
    private int ratePerSecond;
    private int quotaPerMinute;
    private int quotaBurst;
    private FaultPlan faults = FaultPlan.none();
    private final List<Permanent> permanent = new ArrayList<>();
    private String requiredKey;
    private final Map<String, Behaviour> behaviours = new HashMap<>();
    private java.nio.file.Path batchStateDir;
    private Duration batchDelay = Duration.ZERO;
    private int batchFailEvery;
    private int batchExpireEvery;

    /**
     * Keeps the batch protocols' state (batches, files) in this directory, read back on start: an
     * emulator restarted on the same directory still has every batch.
     */
    public Builder batchStateDir(java.nio.file.Path dir) {
      this.batchStateDir = dir;
      return this;
    }

    /** A batch ends this long after it was created (default: at once). */
    public Builder batchDelay(Duration d) {
      this.batchDelay = d;
      return this;
    }

    /**
     * About one request in {@code n} (by a hash of its content) is errored the first time it comes in
     * a batch, and one in {@code m} expired; 0 for none. A retry of the same request succeeds.
     */
    public Builder batchFailures(int n, int m) {
      this.batchFailEvery = n;
      this.batchExpireEvery = m;
      return this;
    }

    /** 0 (the default) picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder responder(Responder r) {
      this.responder = r;
      return this;
    }

    /** Added to every answer. */
    public Builder latency(Duration d) {
      this.latency = d;
      return this;
    }

    /** Multiplies the responder's latencies (a replay's recorded ones); 0 skips them. */
    public Builder latencyScale(double s) {
      if (s < 0) {
        throw new IllegalArgumentException("latency scale must be >= 0");
      }
      this.latencyScale = s;
      return this;
    }

    /** More than {@code n} calls in flight for this model id get 429 with Retry-After. */
    public Builder maxConcurrent(String modelId, int n) {
      maxConcurrent.put(modelId, n);
      return this;
    }

    /**
     * One provider account's request quota for every caller together: {@code perMinute} requests a
     * minute, replenished continuously, at most {@code burst} at once (0: a second's worth). Every reply
     * says what is left in the providers' rate-limit headers (OpenAI's {@code x-ratelimit-*} on the
     * OpenAI routes, Anthropic's {@code anthropic-ratelimit-*} on /v1/messages); a request beyond it
     * gets 429 with {@code retry-after}.
     */
    public Builder accountQuota(int perMinute, int burst) {
      if (perMinute <= 0 || burst < 0) {
        throw new IllegalArgumentException("account quota: requests_per_minute must be positive and burst "
            + "at least 0, were " + perMinute + " and " + burst);
      }
      this.quotaPerMinute = perMinute;
      this.quotaBurst = burst;
      return this;
    }

    /** More than {@code n} requests started within one second get 429 with Retry-After. */
    public Builder ratePerSecond(int n) {
      this.ratePerSecond = n;
      return this;
    }

    public Builder faults(FaultPlan plan) {
      this.faults = plan;
      return this;
    }

    /** Requests matching {@code when} always fail with {@code fault} (400, 401, 404 or refusal). */
    public Builder permanentFault(Predicate<Request> when, Fault fault) {
      if (fault.isTransient()) {
        throw new IllegalArgumentException(fault + " is not a permanent fault");
      }
      permanent.add(new Permanent(when, fault));
      return this;
    }

    /** Requests for this model id are answered with its hard cases. */
    public Builder behaviour(String modelId, Behaviour b) {
      behaviours.put(modelId, b);
      return this;
    }

    /** Every request must carry this key in its protocol's auth header, else 401. */
    public Builder requireKey(String key) {
      this.requiredKey = key;
      return this;
    }

    public ModelEmulator start() throws IOException {
      return new ModelEmulator(this);
    }
  }

  /** http://127.0.0.1:PORT, the base of the Anthropic, Gemini and Cohere protocols. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The base URL of OpenAI-compatible models (the server also answers without the /v1). */
  public String openAiBaseUrl() {
    return baseUrl() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public long requests() {
    return requests.get();
  }

  public long faultsInjected() {
    return faultsInjected.get();
  }

  /** 429s sent because of maxConcurrent or ratePerSecond. */
  public long limitRejections() {
    return limitRejections.get();
  }

  /** Requests per model id (every attempt counts). */
  public Map<String, Long> callsByModel() {
    Map<String, Long> m = new TreeMap<>();
    callsByModel.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /**
   * Seconds during which at least one admitted request was being handled (the endpoint's busy time,
   * measured on the server side: from a request's admission to its reply written), counting a
   * stretch still open up to now.
   */
  public double busySeconds() {
    synchronized (busyLock) {
      return (busyNanos + (busyCalls > 0 ? System.nanoTime() - busySince : 0)) / 1e9;
    }
  }

  /** Seconds of admitted requests summed over requests (finished ones). */
  public double callSeconds() {
    synchronized (busyLock) {
      return callNanos / 1e9;
    }
  }

  /**
   * The longest request handled so far: seconds from the first request's admission to its own, and
   * its length; and seconds from the first admission to the last reply. When a run's bound is one long
   * chain, this says whether it ended late because that call started late. Null before any reply.
   */
  public Slowest slowest() {
    synchronized (busyLock) {
      return slowestNanos < 0 ? null : new Slowest((slowestBegan - firstAdmitted) / 1e9, slowestNanos / 1e9,
          (lastReplied - firstAdmitted) / 1e9);
    }
  }

  /** See {@link #slowest()}. */
  public record Slowest(double admittedAfterSeconds, double seconds, double lastReplyAfterSeconds) {}

  /** The most requests ever being handled at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * How many times each distinct request (protocol, model, body) arrived in a batch, since the state
   * directory was first used; a run that submits nothing twice leaves every count at 1 (bar the
   * requests this emulator failed on purpose, which come again).
   */
  public Map<String, Integer> batchRequestsReceived() {
    return batches.received();
  }

  /** Batches created (all three protocols). */
  public int batchCount() {
    return batches.batchCount();
  }

  /** The last requests received, oldest first (at most 1,000). */
  public List<RecordedRequest> recorded() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- request handling ----

  private void handle(HttpExchange ex) throws IOException {
    try {
      handleOrThrow(ex);
    } catch (IOException | RuntimeException e) {
      // the client went away, or a fault closed the exchange: nothing more to say
      ex.close();
    }
  }

  private void handleOrThrow(HttpExchange ex) throws IOException {
    // Counted once its request line and headers are in: a caller killed while sending the body (a lost
    // worker) still sent a request, and its run's call log counts it.
    requests.incrementAndGet();
    String path = ex.getRequestURI().getPath();
    byte[] raw = ex.getRequestBody().readAllBytes();
    String body = new String(raw, StandardCharsets.UTF_8);
    Map<String, String> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    synchronized (recorded) {
      recorded.addLast(new RecordedRequest(path, headers, body));
      if (recorded.size() > RECORDED_MAX) {
        recorded.removeFirst();
      }
    }
    if (BatchService.handles(path)) {
      Map<String, String> query = new TreeMap<>();
      String q = ex.getRequestURI().getRawQuery();
      if (q != null) {
        for (String pair : q.split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            query.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      BatchService.Out o = batches.handle(ex.getRequestMethod(), path, query, headers.get("content-type"), raw);
      byte[] bytes = o.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", o.contentType());
      ex.sendResponseHeaders(o.status(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
      return;
    }
    if (!"POST".equals(ex.getRequestMethod())) {
      send(ex, 405, Map.of(), "{\"error\":\"POST only\"}");
      return;
    }
    Protocol protocol;
    String pathModel = null;
    Matcher gm = GEMINI_PATH.matcher(path);
    if (path.equals("/v1/chat/completions") || path.equals("/chat/completions")) {
      protocol = Protocol.OPENAI;
    } else if (path.equals("/v1/messages")) {
      protocol = Protocol.ANTHROPIC;
    } else if (gm.matches()) {
      protocol = Protocol.GEMINI;
      pathModel = gm.group(1);
    } else if (path.equals("/v2/chat")) {
      protocol = Protocol.COHERE;
    } else {
      send(ex, 404, Map.of(), "{\"error\":\"no such endpoint: " + path.replace("\"", "") + "\"}");
      return;
    }
    if (requiredKey != null && !requiredKey.equals(presentedKey(protocol, headers))) {
      sendError(ex, protocol, 401, "invalid or missing API key", Map.of());
      return;
    }
    Request request;
    try {
      request = decode(protocol, pathModel, headers, MAPPER.readTree(body));
    } catch (IOException | IllegalArgumentException e) {
      sendError(ex, protocol, 400, "bad request: " + e.getMessage(), Map.of());
      return;
    }
    callsByModel.computeIfAbsent(request.modelId(), k -> new AtomicLong()).incrementAndGet();
    for (Permanent p : permanent) {
      if (p.when().test(request)) {
        faultsInjected.incrementAndGet();
        fault(ex, protocol, request, p.fault(), "");
        return;
      }
    }
    int attempt = attempts.computeIfAbsent(path + "\u0000" + body, k -> new AtomicInteger()).incrementAndGet();
    Fault f = faults.decide(path + "\u0000" + body, attempt);
    if (f != null) {
      faultsInjected.incrementAndGet();
      Answer reply = f == Fault.TRUNCATED || f == Fault.MALFORMED ? answer(request) : null;
      fault(ex, protocol, request, f, reply == null ? "" : encode(protocol, request, reply));
      return;
    }
    Long waitMs = rateLimitWait();
    if (waitMs != null) {
      limitRejections.incrementAndGet();
      sendRateLimited(ex, protocol, Duration.ofMillis(waitMs));
      return;
    }
    Map<String, String> quotaHeaders = Map.of();
    if (quotaPerMinute > 0) {
      Quota q = takeQuota();
      quotaHeaders = quotaHeaders(protocol, q);
      if (!q.admitted()) {
        limitRejections.incrementAndGet();
        quotaRejections.incrementAndGet();
        long seconds = Math.max(1, (q.waitMillis() + 999) / 1000);
        Map<String, String> h = new HashMap<>(quotaHeaders);
        h.put("retry-after", Long.toString(seconds));
        h.put("retry-after-ms", Long.toString(q.waitMillis()));
        sendError(ex, protocol, 429, "rate limit exceeded: account quota of " + quotaPerMinute
            + " requests per minute (emulated)", h);
        return;
      }
    }
    AtomicInteger modelInFlight = inFlightByModel.computeIfAbsent(request.modelId(), k -> new AtomicInteger());
    int now = modelInFlight.incrementAndGet();
    int all = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(all, Math::max);
    long began = busyStart();
    try {
      Integer cap = maxConcurrent.get(request.modelId());
      if (cap != null && now > cap) {
        limitRejections.incrementAndGet();
        sendRateLimited(ex, protocol, faults.retryAfter());
        return;
      }
      Answer reply;
      try {
        reply = answer(request);
      } catch (Responder.NoReply e) {
        sendError(ex, protocol, 404, e.getMessage(), Map.of());
        return;
      }
      long sleep = latency.toMillis() + Math.round(reply.reply().latencyMs() * latencyScale);
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ex.close();
          return;
        }
      }
      send(ex, 200, quotaHeaders, encode(protocol, request, reply));
    } finally {
      modelInFlight.decrementAndGet();
      inFlight.decrementAndGet();
      busyEnd(began);
    }
  }

  /** One request's look at the account quota: admitted or not, what is left, and when it is full again. */
  private record Quota(boolean admitted, long remaining, long resetMillis, long waitMillis) {}

  private Quota takeQuota() {
    synchronized (recentStarts) {
      long now = System.nanoTime();
      double perNano = quotaPerMinute / 60e9;
      quotaLeft = Math.min(quotaBurst, quotaLeft + (now - quotaAt) * perNano);
      quotaAt = now;
      boolean ok = quotaLeft >= 1;
      if (ok) {
        quotaLeft -= 1;
      }
      long reset = (long) Math.ceil((quotaBurst - quotaLeft) / perNano / 1e6);
      long wait = ok ? 0 : (long) Math.ceil((1 - quotaLeft) / perNano / 1e6);
      return new Quota(ok, (long) Math.floor(quotaLeft), reset, wait);
    }
  }

  /**
   * The quota as the provider of {@code p} says it: OpenAI's x-ratelimit-limit/remaining/reset-requests
   * (reset as a duration, "1.5s", "120ms"), Anthropic's anthropic-ratelimit-requests-limit/remaining/
   * reset (reset as an RFC 3339 time); the other protocols send none.
   */
  private Map<String, String> quotaHeaders(Protocol p, Quota q) {
    return switch (p) {
      case OPENAI -> Map.of("x-ratelimit-limit-requests", Integer.toString(quotaPerMinute),
          "x-ratelimit-remaining-requests", Long.toString(q.remaining()),
          "x-ratelimit-reset-requests", q.resetMillis() < 1000 ? q.resetMillis() + "ms"
              : java.math.BigDecimal.valueOf(q.resetMillis(), 3).stripTrailingZeros().toPlainString() + "s");
      case ANTHROPIC -> Map.of("anthropic-ratelimit-requests-limit", Integer.toString(quotaPerMinute),
          "anthropic-ratelimit-requests-remaining", Long.toString(q.remaining()),
          "anthropic-ratelimit-requests-reset", java.time.format.DateTimeFormatter.ISO_INSTANT.format(
              java.time.Instant.now().plusMillis(q.resetMillis()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
      default -> Map.of();
    };
  }

  /** The account quota's requests a minute, 0 when there is none. */
  public int quotaPerMinute() {
    return quotaPerMinute;
  }

  /**
   * The account quota as measured: requests received, refused by the quota, answered, the seconds
   * from the first admission to the last reply, and the answered requests a second over them
   * against the quota's; null without a quota or before any reply.
   */
  public String quotaSummary() {
    Slowest s = slowest();
    if (quotaPerMinute <= 0 || s == null) {
      return null;
    }
    long received = requests();
    long refused = quotaRejections();
    long answered = received - limitRejections() - faultsInjected();
    return String.format(Locale.ROOT, "%d refused by the account quota (%.2f%% of %d); %d answered in %.1f s, "
        + "%.2f a second against the quota's %.2f", refused, 100.0 * refused / Math.max(1, received), received,
        answered, s.lastReplyAfterSeconds(), answered / Math.max(1e-9, s.lastReplyAfterSeconds()),
        quotaPerMinute / 60.0);
  }

  /** Requests refused with 429 by the account quota. */
  public long quotaRejections() {
    return quotaRejections.get();
  }

  private long busyStart() {
    synchronized (busyLock) {
      long now = System.nanoTime();
      if (busyCalls++ == 0) {
        busySince = now;
      }
      if (firstAdmitted < 0) {
        firstAdmitted = now;
      }
      return now;
    }
  }

  private void busyEnd(long began) {
    synchronized (busyLock) {
      long now = System.nanoTime();
      callNanos += now - began;
      lastReplied = now;
      if (now - began > slowestNanos) {
        slowestNanos = now - began;
        slowestBegan = began;
      }
      if (--busyCalls == 0) {
        busyNanos += now - busySince;
      }
    }
  }

  private Answer answer(Request request) {
    Reply r = responder.respond(request);
    Behaviour how = behaviours.getOrDefault(request.modelId(), Behaviour.PLAIN);
    if (how.proseRate() > 0 && request.schema() == null && r.text() != null
        && unit(request, "prose") < how.proseRate()) {
      String prose = prose(r.text());
      if (prose != null) {
        r = new Reply(prose, r.latencyMs(), r.inputTokens(), 0);
      }
    }
    long in = how.inputTokens() != null ? how.inputTokens() : r.inputTokens() > 0 ? r.inputTokens()
        : words(request.system()) + words(request.user());
    long out = how.outputTokens() != null ? how.outputTokens() : r.outputTokens() > 0 ? r.outputTokens()
        : words(r.text());
    String trace = how.reasoning() != null && request.protocol() == Protocol.OPENAI ? trace(request) : null;
    return new Answer(new Reply(r.text(), r.latencyMs(), in, out), how, in, out, how.reasoningTokens(), trace);
  }

  /** A number in [0, 1) fixed by the request and {@code salt}: the same request decides the same way. */
  private static double unit(Request r, String salt) {
    byte[] h = FaultPlan.sha256(salt + "\u0000" + r.modelId() + "\u0000" + r.system() + "\u0000" + r.user());
    long v = 0;
    for (int i = 0; i < 7; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return v / (double) (1L << 56);
  }

  /**
   * A judge's JSON verdict as a judge that ignores "reply with one JSON object" writes it: the same
   * grades in sentences, no JSON. Null when the text is not a JSON object (not a verdict).
   */
  static String prose(String text) {
    JsonNode o;
    try {
      o = MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
    if (o == null || !o.isObject()) {
      return null;
    }
    StringBuilder sb = new StringBuilder("Here is my evaluation of the answer.");
    o.fields().forEachRemaining(e -> {
      if (e.getValue().isNumber()) {
        sb.append(' ').append(Character.toUpperCase(e.getKey().charAt(0))).append(e.getKey().substring(1))
            .append(": ").append(e.getValue().asText()).append('.');
      }
    });
    sb.append(" Overall: ").append(o.path("notes").asText("")).append('.');
    return sb.toString();
  }

  /** The reasoning a Qwen3- or DeepSeek-R1-style model writes before its answer: English, about the question. */
  static String trace(Request r) {
    String q = r.user().strip().replaceAll("\\s+", " ");
    return "Okay, let me think about this. The user wrote: \"" + (q.length() > 80 ? q.substring(0, 80) : q)
        + "\". I need to work out what is asked, recall the relevant facts, check them, and then answer "
        + "in the language the request asks for, clearly and without my notes.";
  }

  private static long words(String s) {
    if (s == null || s.isBlank()) {
      return 0;
    }
    return s.strip().split("\\s+").length;
  }

  /** Milliseconds to wait when the per-second budget is spent, else null (and the start is counted). */
  private Long rateLimitWait() {
    if (ratePerSecond <= 0) {
      return null;
    }
    synchronized (recentStarts) {
      long now = System.nanoTime();
      while (!recentStarts.isEmpty() && now - recentStarts.peekFirst() >= 1_000_000_000L) {
        recentStarts.removeFirst();
      }
      if (recentStarts.size() >= ratePerSecond) {
        return Math.max(1, (recentStarts.peekFirst() + 1_000_000_000L - now) / 1_000_000);
      }
      recentStarts.addLast(now);
      return null;
    }
  }

  private static String presentedKey(Protocol p, Map<String, String> headers) {
    return switch (p) {
      case OPENAI, COHERE -> {
        String auth = headers.get("authorization");
        yield auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
      }
      // The current official SDKs may send the key as a bearer token (auth_token) instead of x-api-key.
      case ANTHROPIC -> headers.containsKey("x-api-key") ? headers.get("x-api-key")
          : headers.get("authorization") != null && headers.get("authorization").startsWith("Bearer ")
              ? headers.get("authorization").substring(7) : null;
      case GEMINI -> headers.get("x-goog-api-key");
    };
  }

  // ---- decoding each protocol's request ----

  private static Request decode(Protocol p, String pathModel, Map<String, String> headers, JsonNode b) {
    if (b == null || !b.isObject()) {
      throw new IllegalArgumentException("body is not a JSON object");
    }
    return switch (p) {
      case OPENAI, COHERE -> {
        String model = text(b, "model", true);
        String system = null;
        String user = null;
        JsonNode messages = b.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
          throw new IllegalArgumentException("messages is missing or empty");
        }
        for (JsonNode m : messages) {
          String role = text(m, "role", true);
          String content = content(m.get("content"));
          switch (role) {
            case "system" -> system = content;
            case "user" -> user = content;
            default -> throw new IllegalArgumentException("unexpected role " + role);
          }
        }
        if (user == null) {
          throw new IllegalArgumentException("no user message");
        }
        Integer max = b.has("max_completion_tokens") ? Integer.valueOf(b.get("max_completion_tokens").asInt())
            : b.has("max_tokens") ? Integer.valueOf(b.get("max_tokens").asInt()) : null;
        yield new Request(p, model, system, user, max, dbl(b.get("temperature")), lng(b.get("seed")),
            responseFormat(p, b.get("response_format")));
      }
      case ANTHROPIC -> {
        if (!headers.containsKey("anthropic-version")) {
          throw new IllegalArgumentException("anthropic-version header is required");
        }
        String model = text(b, "model", true);
        if (!b.has("max_tokens") || !b.get("max_tokens").canConvertToInt()) {
          throw new IllegalArgumentException("max_tokens: Field required");
        }
        String system = b.has("system") ? content(b.get("system")) : null;
        JsonNode messages = b.get("messages");
        if (messages == null || !messages.isArray() || messages.size() != 1
            || !"user".equals(messages.get(0).path("role").asText())) {
          throw new IllegalArgumentException("expected one user message");
        }
        yield new Request(p, model, system, content(messages.get(0).get("content")),
            b.get("max_tokens").asInt(), dbl(b.get("temperature")), null, forcedTool(b));
      }
      case GEMINI -> {
        String system = b.has("systemInstruction") ? parts(b.get("systemInstruction")) : null;
        JsonNode contents = b.get("contents");
        if (contents == null || !contents.isArray() || contents.size() != 1) {
          throw new IllegalArgumentException("expected one content");
        }
        JsonNode g = b.path("generationConfig");
        Integer max = g.has("maxOutputTokens") ? Integer.valueOf(g.get("maxOutputTokens").asInt()) : null;
        boolean json = g.has("responseSchema") || "application/json".equals(g.path("responseMimeType").asText());
        if (g.has("responseSchema") && !"application/json".equals(g.path("responseMimeType").asText())) {
          throw new IllegalArgumentException("responseSchema needs responseMimeType application/json");
        }
        yield new Request(p, pathModel, system, parts(contents.get(0)), max, dbl(g.get("temperature")),
            lng(g.get("seed")), json ? "json" : null);
      }
    };
  }

  /** The schema name of an OpenAI json_schema or Cohere json_object response_format, or null. */
  private static String responseFormat(Protocol p, JsonNode f) {
    if (f == null || f.isNull() || "text".equals(f.path("type").asText())) {
      return null;
    }
    String type = f.path("type").asText();
    if (p == Protocol.OPENAI && "json_schema".equals(type)) {
      if (!f.path("json_schema").path("schema").isObject()) {
        throw new IllegalArgumentException("response_format.json_schema.schema is missing");
      }
      return text(f.get("json_schema"), "name", true);
    }
    if ("json_object".equals(type)) {
      return "json";
    }
    throw new IllegalArgumentException("response_format.type " + type + " is not supported");
  }

  /** The name of the tool an Anthropic request forces, or null; a forced tool must be among its tools. */
  private static String forcedTool(JsonNode b) {
    JsonNode choice = b.get("tool_choice");
    if (choice == null || !"tool".equals(choice.path("type").asText())) {
      return null;
    }
    String name = text(choice, "name", true);
    for (JsonNode t : b.path("tools")) {
      if (name.equals(t.path("name").asText()) && t.path("input_schema").isObject()) {
        return name;
      }
    }
    throw new IllegalArgumentException("tool_choice names tool " + name + ", which tools does not define");
  }

  private static String text(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      if (required) {
        throw new IllegalArgumentException(field + " is missing or not a string");
      }
      return null;
    }
    return v.asText();
  }

  /** A content that is a string or a list of text blocks. */
  private static String content(JsonNode c) {
    if (c == null) {
      throw new IllegalArgumentException("content is missing");
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode block : c) {
        sb.append(text(block, "text", true));
      }
      return sb.toString();
    }
    throw new IllegalArgumentException("content is neither a string nor blocks");
  }

  private static String parts(JsonNode content) {
    JsonNode parts = content.get("parts");
    if (parts == null || !parts.isArray() || parts.isEmpty()) {
      throw new IllegalArgumentException("parts is missing");
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : parts) {
      sb.append(text(part, "text", true));
    }
    return sb.toString();
  }

  private static Double dbl(JsonNode n) {
    return n == null || n.isNull() ? null : n.asDouble();
  }

  private static Long lng(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }

  // ---- encoding each protocol's reply ----

  private static JsonNode jsonObject(String text) {
    try {
      JsonNode n = MAPPER.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String id(Request r) {
    return HexFormat.of().formatHex(FaultPlan.sha256(r.modelId() + "\u0000" + r.user()), 0, 8);
  }

  /** Seconds since the epoch a reply says it was made: fixed, so replies are reproducible. */
  private static final long CREATED = 1_764_547_200L;

  private static String encode(Protocol p, Request r, Answer a) {
    ObjectNode o = MAPPER.createObjectNode();
    String text = a.text();
    long in = a.input();
    long out = text == null ? 0 : a.output(); // no text, no visible output: only reasoning was billed
    long thinking = a.reasoning();
    switch (p) {
      case OPENAI -> {
        o.put("id", "chatcmpl-emu-" + id(r));
        o.put("object", "chat.completion");
        o.put("created", CREATED);
        o.put("model", r.modelId());
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String trace = a.trace();
        String shape = a.how().reasoning();
        if (trace != null && "with_text".equals(a.how().truncate())) {
          // Cut inside the reasoning: half the trace, no answer.
          trace = trace.substring(0, trace.length() / 2);
          text = "think-tags".equals(shape) ? "<think>\n" + trace : "";
        } else if (trace != null && text != null && "think-tags".equals(shape)) {
          text = "<think>\n" + trace + "\n</think>\n\n" + text; // Qwen3 on a server without a reasoning parser
        }
        // A reasoning model cut while thinking sends an empty string; a reply with nothing says null.
        if (text != null) {
          message.put("content", text);
        } else if (a.cut()) {
          message.put("content", "");
        } else {
          message.putNull("content");
        }
        message.putNull("refusal");
        if (trace != null && !"think-tags".equals(shape)) {
          // Not in OpenAI's schema; its ChatCompletionResponseMessage allows properties it does not list.
          message.put(shape, trace);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", a.cut() ? "length" : "stop");
        // The trace's words are billed as completion tokens with no reasoning_tokens, as vLLM reports them.
        long traced = trace == null ? 0 : words(trace);
        ObjectNode u = o.putObject("usage").put("prompt_tokens", in)
            .put("completion_tokens", out + thinking + traced).put("total_tokens", in + out + thinking + traced);
        if (thinking > 0) {
          u.putObject("completion_tokens_details").put("reasoning_tokens", thinking);
        }
      }
      case ANTHROPIC -> {
        o.put("id", "msg_emu_" + id(r));
        o.put("type", "message");
        o.put("role", "assistant");
        o.put("model", r.modelId());
        var content = o.putArray("content");
        if (thinking > 0) {
          content.addObject().put("type", "thinking").put("thinking", "(emulated reasoning)")
              .put("signature", "emu-" + id(r));
        }
        JsonNode input = r.schema() != null && text != null && !a.cut() ? jsonObject(text) : null;
        if (input != null) {
          // The forced tool's call: its input is the verdict (stop_reason tool_use).
          content.addObject().put("type", "tool_use").put("id", "toolu_emu_" + id(r)).put("name", r.schema())
              .set("input", input);
        } else if (text != null) {
          content.addObject().put("type", "text").put("text", text);
        }
        o.put("stop_reason", a.cut() ? "max_tokens" : input != null ? "tool_use" : "end_turn");
        o.putNull("stop_sequence");
        // output_tokens include thinking: Anthropic bills it as output and reports no split.
        o.putObject("usage").put("input_tokens", in).put("output_tokens", out + thinking);
      }
      case GEMINI -> {
        ObjectNode c = o.putArray("candidates").addObject();
        ObjectNode content = c.putObject("content");
        if (text != null) {
          content.putArray("parts").addObject().put("text", text);
        }
        content.put("role", "model");
        c.put("finishReason", a.cut() ? "MAX_TOKENS" : "STOP");
        c.put("index", 0);
        ObjectNode u = o.putObject("usageMetadata").put("promptTokenCount", in);
        if (text != null) {
          u.put("candidatesTokenCount", out);
        }
        if (thinking > 0) {
          u.put("thoughtsTokenCount", thinking);
        }
        u.put("totalTokenCount", in + (text != null ? out : 0) + thinking);
        o.put("modelVersion", r.modelId());
      }
      case COHERE -> {
        o.put("id", "emu-" + id(r));
        o.put("finish_reason", a.cut() ? "MAX_TOKENS" : "COMPLETE");
        ObjectNode m = o.putObject("message");
        m.put("role", "assistant");
        var content = m.putArray("content");
        if (thinking > 0) {
          content.addObject().put("type", "thinking").put("thinking", "(emulated reasoning)");
        }
        if (text != null) {
          content.addObject().put("type", "text").put("text", text);
        }
        ObjectNode u = o.putObject("usage");
        Behaviour how = a.how();
        u.putObject("billed_units")
            .put("input_tokens", how.billedInputTokens() != null ? how.billedInputTokens() : in)
            .put("output_tokens", how.billedOutputTokens() != null ? how.billedOutputTokens() : out + thinking);
        u.putObject("tokens").put("input_tokens", in).put("output_tokens", out + thinking);
      }
    }
    return o.toString();
  }

  /** A refusal as each provider sends it, with the usage it bills. */
  private String refusal(Protocol p, Request r) {
    ObjectNode o = MAPPER.createObjectNode();
    long in = words(r.system()) + words(r.user());
    Behaviour how = behaviours.get(r.modelId());
    if (how != null && how.inputTokens() != null) {
      in = how.inputTokens();
    }
    long out = 8;
    switch (p) {
      case OPENAI -> {
        o.put("id", "chatcmpl-emu-" + id(r));
        o.put("object", "chat.completion");
        o.put("created", CREATED);
        o.put("model", r.modelId());
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").putNull("content")
            .put("refusal", "I'm sorry, I can't help with that.");
        choice.putNull("logprobs");
        choice.put("finish_reason", "content_filter");
        o.putObject("usage").put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
      }
      case ANTHROPIC -> {
        o.put("id", "msg_emu_" + id(r));
        o.put("type", "message");
        o.put("role", "assistant");
        o.put("model", r.modelId());
        o.putArray("content");
        o.put("stop_reason", "refusal");
        o.putNull("stop_sequence");
        o.putObject("usage").put("input_tokens", in).put("output_tokens", out);
      }
      case GEMINI -> {
        o.putObject("promptFeedback").put("blockReason", "SAFETY");
        o.putObject("usageMetadata").put("promptTokenCount", in).put("totalTokenCount", in);
        o.put("modelVersion", r.modelId());
      }
      default -> throw new IllegalStateException();
    }
    return o.toString();
  }

  /** A test's view of a reply: what the emulator would send for this request (hard cases included). */
  public String replyBody(Request request) {
    return encode(request.protocol(), request, answer(request));
  }

  /** What the emulator sends when it refuses this request (OpenAI, Anthropic, Gemini). */
  public String refusalBody(Request request) {
    return refusal(request.protocol(), request);
  }

  private void fault(HttpExchange ex, Protocol p, Request r, Fault f, String fullBody) throws IOException {
    switch (f) {
      case RATE_LIMITED -> sendRateLimited(ex, p, faults.retryAfter());
      case SERVER_ERROR_500 -> sendError(ex, p, 500, "internal error (emulated)", Map.of());
      case UNAVAILABLE_503 -> sendError(ex, p, 503, "overloaded (emulated)", Map.of());
      case CONNECTION_RESET -> ex.close();
      case TIMEOUT -> {
        try {
          Thread.sleep(faults.hang().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
      }
      case TRUNCATED -> {
        byte[] bytes = fullBody.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        OutputStream out = ex.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        ex.close();
      }
      case MALFORMED -> send(ex, 200, Map.of(), fullBody.substring(0, fullBody.length() / 2));
      case BAD_REQUEST_400 -> sendError(ex, p, 400, "invalid request (emulated)", Map.of());
      case UNAUTHORIZED_401 -> sendError(ex, p, 401, "invalid API key (emulated)", Map.of());
      case NOT_FOUND_404 -> sendError(ex, p, 404, "model not found (emulated)", Map.of());
      case REFUSAL -> {
        if (p == Protocol.COHERE) {
          // Cohere v2 has no refusal finish reason; its moderation answers with a 400.
          sendError(ex, p, 400, "blocked by content moderation (emulated)", Map.of());
        } else {
          send(ex, 200, Map.of(), refusal(p, r));
        }
      }
    }
  }

  private void sendRateLimited(HttpExchange ex, Protocol p, Duration wait) throws IOException {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    sendError(ex, p, 429, "rate limit exceeded (emulated)",
        Map.of("Retry-After", Long.toString(seconds), "retry-after-ms", Long.toString(wait.toMillis())));
  }

  private static void sendError(HttpExchange ex, Protocol p, int status, String message,
      Map<String, String> headers) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    switch (p) {
      case OPENAI -> o.putObject("error").put("message", message).put("type", "emulated").put("code", status);
      case ANTHROPIC -> {
        o.put("type", "error");
        o.putObject("error").put("type", status == 429 ? "rate_limit_error" : "api_error").put("message", message);
      }
      case GEMINI -> o.putObject("error").put("code", status).put("message", message).put("status", "EMULATED");
      case COHERE -> o.put("message", message);
    }
    send(ex, status, headers, o.toString());
  }

  private static void send(HttpExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
