package dev.cltbench.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.output.FileSystemsOutput;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The batch strategy of {@link ModelCalls}: one per run and JVM, shared by its DoFn instances. A call
 * of a batched model joins its model's queue; a queue goes out as a batch (split within the
 * provider's limits) once no call has joined it for {@link #LINGER_MS}, so each stage's calls leave as
 * soon as the stage's inputs exist. Each submitted batch is recorded beside the response cache (any
 * Beam filesystem) before it is waited on; a run killed while waiting finds the record, polls the same
 * batch again and submits none of its requests twice. Results land in the same response cache, under
 * the same keys as live calls, so the cache stays the one source of answers. Requests that a batch
 * errored, expired or cancelled go into a new batch up to the attempt limit, then fail with that kind.
 *
 * <p>Submission is exclusive per request across workers, runs and JVMs: before a request goes into a
 * batch, its worker claims it by creating {@code batches/claims/KEY.N.claim} (N counts the request's
 * submissions) with {@link FileSystemsOutput#createExclusive}; a worker that loses the claim waits for
 * the winner's batch instead. Each batch carries its claim's tag (OpenAI metadata, Gemini display
 * name), and the claimed keys are written to {@code batches/TAG.pending} before the batch is
 * submitted, so a batch whose worker died between the provider accepting it and its record being
 * written is found again by listing the provider's batches; a claim with neither record nor batch is
 * taken over (claim N+1) once its worker's heartbeat has stopped ({@link #DEAD_AFTER_MS}) or it is
 * older than {@link #CLAIM_GRACE_MS}.
 */
final class BatchCalls implements AutoCloseable {
  private static final PerJvm<BatchCalls> RUNNING = new PerJvm<>(BatchCalls::close);

  /** Quiet time after which a queue is submitted: long enough for a bundle's calls to join. */
  static final long LINGER_MS = Long.getLong("cltbench.batch.lingerMs", 1000);
  /** A queue never waits longer than this for more calls. */
  static final long MAX_HOLD_MS = 30_000;
  /** Polling backoff: first wait, factor, longest wait (a real batch takes minutes to hours). */
  static final long POLL_FIRST_MS = Long.getLong("cltbench.batch.pollFirstMs", 500);
  static final long POLL_MAX_MS = Long.getLong("cltbench.batch.pollMaxMs", 60_000);
  static final double POLL_FACTOR = 1.5;
  static final long PROGRESS_EVERY_MS = Long.getLong("cltbench.batch.progressMs", 10_000);

  /** The directory of batch records, beside the cache's entries. */
  static final String RECORDS = "batches";
  /** Under {@link #RECORDS}: one claim file per request and submission. */
  static final String CLAIMS = "claims";
  /**
   * A claim with no record and no batch at the provider is taken over after this long: longer than a
   * submission can take (the HTTP read timeout is 5 minutes), so a live claimant is never overtaken.
   */
  static final long CLAIM_GRACE_MS = Long.getLong("cltbench.batch.claimGraceMs", 600_000);
  /** How often a worker says it is alive ({@code batches/workers/ID.alive}), and after how long silent it is not. */
  static final long HEARTBEAT_MS = Long.getLong("cltbench.batch.heartbeatMs", 5_000);
  static final long DEAD_AFTER_MS = Long.getLong("cltbench.batch.deadAfterMs", 60_000);
  /** How often a request claimed by another worker is looked at again. */
  static final long FOREIGN_CHECK_MS = Long.getLong("cltbench.batch.foreignCheckMs", 1_000);

  /** A request another worker claimed: which submission, and when to look at it again. */
  private static final class Foreign {
    final int generation;
    long nextCheck;

    Foreign(int generation) {
      this.generation = generation;
    }
  }

  /** A call waiting for its batch: the request, attempts so far, and who waits on it. */
  private static final class Waiter {
    final ModelSpec spec;
    final ChatRequest request;
    final int maxAttempts;
    final List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
    int attempts;
    long submittedAt;

    Waiter(ModelSpec spec, ChatRequest request, int maxAttempts) {
      this.spec = spec;
      this.request = request;
      this.maxAttempts = maxAttempts;
    }
  }

  /** Calls of one model (and seed) not yet submitted. */
  private static final class Queue {
    final ModelSpec spec;
    final LinkedHashMap<String, Waiter> keys = new LinkedHashMap<>();
    long firstAt;
    long lastAt;

    Queue(ModelSpec spec) {
      this.spec = spec;
    }
  }

  /** A submitted batch being polled. */
  private static final class Active {
    final String batchId;
    final String model;
    final BatchWire.Target target;
    final List<String> keys;
    final ResourceId record;
    long nextPoll;
    long delay = POLL_FIRST_MS;
    long done;
    long total;

    Active(String batchId, String model, BatchWire.Target target, List<String> keys, ResourceId record) {
      this.batchId = batchId;
      this.model = model;
      this.target = target;
      this.keys = keys;
      this.record = record;
      this.total = keys.size();
    }
  }

  private final String cacheDirectory;
  private final ResponseCache cache;
  private final Function<String, ModelSpec> models;
  private final Function<ModelSpec, BatchWire.Target> targets;
  private final PrintStream err;
  private final BatchWire.Http http = new BatchWire.Http();
  private final Map<String, BatchWire.Target> targetsByModel = new HashMap<>();
  private final Map<String, Waiter> waiting = new HashMap<>();
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final Map<String, Active> active = new LinkedHashMap<>();
  /** Every key of every batch known open (submitted here or recorded by another run or worker). */
  private final Map<String, String> keyToBatch = new HashMap<>();
  private final Set<String> recordsSeen = new HashSet<>();
  /** The last claim (submission number) known per request key. */
  private final Map<String, Integer> generations = new HashMap<>();
  /** Requests whose current claim is another worker's, with no record seen yet. */
  private final Map<String, Foreign> foreign = new LinkedHashMap<>();
  private final Thread loop;
  /** This worker's id in its claims; its heartbeat says whether a claim's owner still lives. */
  private final String worker = UUID.randomUUID().toString();
  private final Thread heartbeat;
  private volatile boolean closed;
  private long batchesSubmitted;
  private long batchesDone;
  private long requestsDone;
  private long requestsSubmitted;
  private long lastProgress;
  private String lastLine = "";

  private BatchCalls(String cacheDirectory, Function<String, ModelSpec> models,
      Function<ModelSpec, BatchWire.Target> targets, PrintStream err) {
    this.cacheDirectory = cacheDirectory;
    this.cache = new ResponseCache(cacheDirectory);
    this.models = models;
    this.targets = targets;
    this.err = err;
    this.loop = new Thread(this::run, "cltbench-batches");
    loop.setDaemon(true);
    // Apart from the loop, which may sit in a submission for minutes: a live claimant is never taken for dead.
    this.heartbeat = new Thread(() -> {
      while (!closed) {
        try {
          writeText(aliveFile(worker), "{\"at\":" + System.currentTimeMillis() + "}");
          Thread.sleep(HEARTBEAT_MS);
        } catch (InterruptedException e) {
          return;
        } catch (IOException | RuntimeException e) {
          this.err.println("batch: cannot write the heartbeat " + aliveFile(worker) + ": " + e.getMessage());
          try {
            Thread.sleep(HEARTBEAT_MS);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }, "cltbench-batch-heartbeat");
    heartbeat.setDaemon(true);
    heartbeat.start();
    synchronized (this) {
      refreshRecords();
    }
    loop.start();
  }

  /** This run's batches in this JVM, made by the first caller; {@link #release} gives it back. */
  static BatchCalls acquire(String runId, String cacheDirectory, Function<String, ModelSpec> models,
      Function<ModelSpec, BatchWire.Target> targets) {
    if (cacheDirectory == null) {
      throw new IllegalArgumentException("batch mode records its batches beside the response cache: give --cache");
    }
    return RUNNING.acquire(runId, k -> new BatchCalls(cacheDirectory, models, targets, System.err));
  }

  static void release(String runId) {
    RUNNING.release(runId);
  }

  /**
   * Asks {@code request} of {@code spec} (the model as called) in a batch; completes with the reply,
   * or exceptionally with a {@link ModelCallException} (refused, no text, or the batch failure kind
   * after the last attempt). The cache is written here, before anyone is told.
   */
  synchronized CompletableFuture<ChatResponse> call(ModelSpec spec, String key, ChatRequest request,
      int maxAttempts) {
    CompletableFuture<ChatResponse> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("batch calls closed"));
      return f;
    }
    Waiter w = waiting.get(key);
    if (w != null) {
      w.futures.add(f);
      return f;
    }
    w = new Waiter(spec, request, Math.max(1, maxAttempts));
    w.futures.add(f);
    waiting.put(key, w);
    if (keyToBatch.containsKey(key)) {
      return f; // already in a submitted batch (an earlier run's, or another worker's): wait for it
    }
    enqueue(key, w);
    return f;
  }

  private void enqueue(String key, Waiter w) {
    Queue q = queues.computeIfAbsent(w.spec.name() + "#" + w.spec.seed(), k -> new Queue(w.spec));
    long now = System.currentTimeMillis();
    if (q.keys.isEmpty()) {
      q.firstAt = now;
    }
    q.lastAt = now;
    q.keys.put(key, w);
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(100);
        step();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A bug must not strand the waiting calls silently: say it, keep going.
        err.println("batch: " + e);
      }
    }
  }

  /** One round: submit the queues that are due, poll the batches that are due, say the progress. */
  private void step() {
    long now = System.currentTimeMillis();
    List<Queue> due = new ArrayList<>();
    synchronized (this) {
      for (Queue q : queues.values()) {
        if (!q.keys.isEmpty() && (now - q.lastAt >= LINGER_MS || now - q.firstAt >= MAX_HOLD_MS)) {
          due.add(q);
        }
      }
    }
    for (Queue q : due) {
      submit(q);
    }
    List<Active> polls = new ArrayList<>();
    synchronized (this) {
      for (Active a : active.values()) {
        if (a.nextPoll <= now) {
          polls.add(a);
        }
      }
    }
    for (Active a : polls) {
      poll(a);
    }
    resolveForeign(System.currentTimeMillis());
    progress(false);
  }

  private BatchWire.Target target(ModelSpec spec) {
    synchronized (targetsByModel) {
      return targetsByModel.computeIfAbsent(spec.name(), n -> targets.apply(spec));
    }
  }

  private void submit(Queue q) {
    Map<String, Waiter> taken;
    synchronized (this) {
      // Another worker (or an earlier run) may have recorded some of these since they were queued.
      refreshRecords();
      taken = new LinkedHashMap<>();
      for (Map.Entry<String, Waiter> e : q.keys.entrySet()) {
        if (!keyToBatch.containsKey(e.getKey())) {
          taken.put(e.getKey(), e.getValue());
        }
      }
      q.keys.clear();
    }
    if (taken.isEmpty()) {
      return;
    }
    BatchWire.Target t;
    try {
      t = target(q.spec);
    } catch (RuntimeException e) {
      taken.forEach((k, w) -> fail(k, new ModelCallException(-1, false, null, q.spec.name() + ": " + e.getMessage())));
      return;
    }
    BatchWire wire = BatchWire.of(t.protocol());
    List<ObjectNode> items = new ArrayList<>();
    for (Map.Entry<String, Waiter> e : taken.entrySet()) {
      items.add(wire.item(t, new BatchWire.Item(e.getKey(), e.getValue().request)));
    }
    for (List<ObjectNode> all : BatchWire.split(items, wire.maxRequests(), wire.maxBytes())) {
      String tag = UUID.randomUUID().toString();
      List<ObjectNode> chunk = new ArrayList<>();
      for (ObjectNode item : all) {
        if (claim(customId(item), tag, q.spec)) {
          chunk.add(item);
        }
      }
      if (chunk.isEmpty()) {
        continue;
      }
      List<String> keys = chunk.stream().map(BatchCalls::customId).toList();
      String id;
      try {
        // What a worker that finds the claims without a record needs to adopt the batch.
        writeText(pending(tag), recordJson(null, tag, t.protocol(), q.spec, keys));
        id = wire.submit(http, t, chunk, tag);
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          for (String k : keys) {
            Waiter w = waiting.get(k);
            if (w != null) {
              w.attempts++; // a refused submission used its claim: it counts, so retries end
            }
            retryOrFail(k, BatchWire.ERRORED, "batch not submitted: " + e.getMessage());
          }
        }
        continue;
      }
      ResourceId record;
      try {
        // Durable before anything waits on it: a run killed from here on finds the batch again.
        record = writeRecord(id, tag, t.protocol(), q.spec, keys);
      } catch (IOException e) {
        err.println("batch: " + id + " submitted but not recorded (" + e.getMessage()
            + "); a run killed before it ends would submit its requests again");
        record = null;
      }
      synchronized (this) {
        Active a = new Active(id, q.spec.name(), t, keys, record);
        a.nextPoll = System.currentTimeMillis() + POLL_FIRST_MS;
        active.put(id, a);
        long now = System.currentTimeMillis();
        for (String k : keys) {
          keyToBatch.put(k, id);
          Waiter w = waiting.get(k);
          if (w != null) {
            w.attempts++;
            w.submittedAt = now;
          }
        }
        batchesSubmitted++;
        requestsSubmitted += keys.size();
      }
    }
    progress(true);
  }

  /**
   * Claims {@code key} for a batch tagged {@code tag}: true when this worker may submit it. Losing
   * means another worker (or run) has this submission of it; the key then waits for its batch.
   */
  private boolean claim(String key, String tag, ModelSpec spec) {
    int g;
    synchronized (this) {
      g = generations.getOrDefault(key, 0) + 1;
    }
    ObjectNode c = WireProtocol.MAPPER.createObjectNode();
    c.put("tag", tag).put("model", spec.name()).put("worker", worker).put("at", System.currentTimeMillis());
    boolean won;
    try {
      won = FileSystemsOutput.createExclusive(claimFile(key, g).toString(), c.toString());
    } catch (IOException | RuntimeException e) {
      // Without a claim exclusivity cannot be promised: the request fails rather than risk a second bill.
      fail(key, new ModelCallException(-1, false, null, spec.name() + ": cannot claim the request for a batch ("
          + claimFile(key, g) + "): " + e.getMessage()));
      return false;
    }
    synchronized (this) {
      generations.put(key, g);
      if (!won) {
        Foreign f = new Foreign(g);
        f.nextCheck = System.currentTimeMillis();
        foreign.put(key, f);
      }
    }
    return won;
  }

  /**
   * Looks at the requests another worker claimed: answered (in the cache) completes them; a record
   * makes them wait on its batch; an ended batch without their answer sends them to claim the next
   * submission; a claim without a record is matched to the provider's batches by its tag, and taken
   * over when there is none after {@link #CLAIM_GRACE_MS}.
   */
  private void resolveForeign(long now) {
    List<Map.Entry<String, Foreign>> due = new ArrayList<>();
    synchronized (this) {
      if (foreign.isEmpty()) {
        return;
      }
      refreshRecords();
      for (var it = foreign.entrySet().iterator(); it.hasNext();) {
        var e = it.next();
        if (keyToBatch.containsKey(e.getKey()) || !waiting.containsKey(e.getKey())) {
          it.remove(); // its batch is polled here now, or nobody waits for it
        } else if (e.getValue().nextCheck <= now) {
          due.add(Map.entry(e.getKey(), e.getValue()));
        }
      }
    }
    for (var e : due) {
      String key = e.getKey();
      Foreign f = e.getValue();
      try {
        var hit = cache.get(key);
        if (hit.isPresent()) {
          answered(key, hit.get());
          continue;
        }
        JsonNode claim = readJson(claimFile(key, f.generation));
        String tag = claim == null ? null : claim.path("tag").asText(null);
        if (tag == null) {
          later(f, now); // being written: look again
          continue;
        }
        if (exists(recordFile(tag))) {
          if (exists(ended(recordFile(tag)))) {
            // Its batch ended without this answer: the next submission is for whoever claims it.
            synchronized (this) {
              foreign.remove(key);
              Waiter w = waiting.get(key);
              if (w != null) {
                enqueue(key, w);
              }
            }
          } else {
            later(f, now); // the record is read by the next refresh
          }
          continue;
        }
        JsonNode pending = readJson(pending(tag));
        ModelSpec spec = models.apply(claim.path("model").asText());
        if (pending != null && spec != null) {
          String id = null;
          BatchWire.Target t = target(spec);
          try {
            id = BatchWire.of(t.protocol()).find(http, t, tag);
          } catch (UnsupportedOperationException u) {
            // No tag to list by (Anthropic): only the grace below can resolve it.
          }
          if (id != null && !exists(recordFile(tag))) {
            List<String> keys = new ArrayList<>();
            pending.path("custom_ids").forEach(k -> keys.add(k.asText()));
            writeRecord(id, tag, t.protocol(), spec, keys);
            synchronized (this) {
              recordsSeen.remove(recordFile(tag).toString());
            }
            err.println("batch: found " + id + " (claim " + tag + ") at the provider; its worker did not record it");
            later(f, 0);
            continue;
          }
        }
        if ((now - claim.path("at").asLong(now) > CLAIM_GRACE_MS || ownerDead(claim, now))
            && !exists(recordFile(tag))) {
          synchronized (this) {
            foreign.remove(key);
            Waiter w = waiting.get(key);
            if (w != null) {
              err.println("batch: claim " + claimFile(key, f.generation) + " has no batch and its worker has"
                  + " stopped (or it is older than " + CLAIM_GRACE_MS + " ms); claiming the request again");
              enqueue(key, w);
            }
          }
          continue;
        }
        later(f, now);
      } catch (IOException | RuntimeException ex) {
        err.println("batch: cannot resolve the claim on " + key + ": " + ex.getMessage());
        later(f, now);
      }
    }
  }

  /**
   * The claim's worker has stopped (closed, killed, lost): its heartbeat is gone or silent past
   * {@link #DEAD_AFTER_MS}. A claim of a worker that never wrote one (older records) counts as alive.
   */
  private boolean ownerDead(JsonNode claim, long now) throws IOException {
    String owner = claim.path("worker").asText(null);
    if (owner == null || owner.equals(worker)) {
      return false;
    }
    ResourceId heartbeatFile = aliveFile(owner);
    JsonNode alive = readJson(heartbeatFile);
    if (alive == null && exists(heartbeatFile)) {
      return false; // there but unreadable (being replaced, or torn): on a doubt never take over, a second submission is paid twice
    }
    long claimedAt = claim.path("at").asLong(now);
    long last = alive == null ? claimedAt : alive.path("at").asLong(claimedAt);
    return alive == null ? now - claimedAt > HEARTBEAT_MS * 2 : now - last > DEAD_AFTER_MS;
  }

  private ResourceId aliveFile(String id) {
    return recordsDirectory().resolve("workers", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(fileName(id) + ".alive", StandardResolveOptions.RESOLVE_FILE);
  }

  private synchronized void later(Foreign f, long now) {
    f.nextCheck = now + FOREIGN_CHECK_MS;
  }

  /** A request answered by another worker's batch: completed from the cache it wrote. */
  private synchronized void answered(String key, ResponseCache.Entry e) {
    foreign.remove(key);
    Waiter w = waiting.remove(key);
    if (w != null) {
      ChatResponse r = new ChatResponse(e.text(), new Usage(e.inputTokens(), e.outputTokens(), e.reasoningTokens(),
          e.billedInputTokens(), e.billedOutputTokens()), e.finishReason(), e.modelVersion(), e.truncated(),
          e.latencyMs(), Math.max(1, w.attempts), e.reasoning());
      w.futures.forEach(fu -> fu.complete(r));
    }
  }

  private static String customId(ObjectNode item) {
    return item.has("custom_id") ? item.get("custom_id").asText() : item.path("metadata").path("key").asText();
  }

  private void poll(Active a) {
    BatchWire.Status s;
    try {
      s = BatchWire.of(a.target.protocol()).poll(http, a.target, a.batchId);
    } catch (IOException | RuntimeException e) {
      // The provider (or the network) is down for now: the batch is still there; try later.
      synchronized (this) {
        a.delay = Math.min(POLL_MAX_MS, (long) (a.delay * POLL_FACTOR));
        a.nextPoll = System.currentTimeMillis() + a.delay;
      }
      err.println("batch: polling " + a.batchId + " failed (" + e.getMessage() + "); again in " + a.delay + " ms");
      return;
    }
    if (!s.ended()) {
      synchronized (this) {
        a.done = s.done();
        a.total = Math.max(a.total, s.total());
        a.delay = Math.min(POLL_MAX_MS, (long) (a.delay * POLL_FACTOR));
        a.nextPoll = System.currentTimeMillis() + a.delay;
      }
      return;
    }
    ModelSpec spec = models.apply(a.model);
    Map<String, BatchWire.Result> byId = new HashMap<>();
    for (BatchWire.Result r : s.results()) {
      byId.put(r.customId(), r);
    }
    Map<String, Object> outcomes = new LinkedHashMap<>();
    for (String k : a.keys) {
      BatchWire.Result r = byId.get(k);
      if (r == null) {
        outcomes.put(k, new BatchWire.Result(k, null, BatchWire.ERRORED, "missing from the batch's results"));
        continue;
      }
      if (!r.ok()) {
        outcomes.put(k, r);
        continue;
      }
      try {
        ChatResponse reply = a.target.parser().parse(200, r.reply().toString(), 0);
        if (spec != null && (!reply.truncated() || spec.gradesTruncated())) {
          try {
            cache.put(k, entry(reply));
          } catch (IOException e) {
            CacheWriteWarning.failed(String.valueOf(cacheDirectory), e); // paid for: kept, only not cached
          }
        }
        outcomes.put(k, reply);
      } catch (ModelCallException e) {
        outcomes.put(k, e);
      }
    }
    if (a.record != null) {
      try {
        writeText(ended(a.record), "{\"ended\":true}");
      } catch (IOException e) {
        err.println("batch: " + a.batchId + " ended but its end was not recorded: " + e.getMessage());
      }
    }
    synchronized (this) {
      active.remove(a.batchId);
      batchesDone++;
      requestsDone += a.keys.size();
      for (Map.Entry<String, Object> e : outcomes.entrySet()) {
        keyToBatch.remove(e.getKey());
        Object o = e.getValue();
        if (o instanceof ChatResponse reply) {
          Waiter w = waiting.remove(e.getKey());
          long latency = w == null ? 0 : System.currentTimeMillis() - w.submittedAt;
          ChatResponse timed = new ChatResponse(reply.text(), reply.usage(), reply.finishReason(), reply.modelVersion(),
              reply.truncated(), latency, w == null ? 1 : w.attempts);
          if (w != null) {
            w.futures.forEach(f -> f.complete(timed));
          }
        } else if (o instanceof ModelCallException ex) {
          fail(e.getKey(), ex);
        } else {
          BatchWire.Result r = (BatchWire.Result) o;
          retryOrFail(e.getKey(), r.failureKind(), r.message());
        }
      }
    }
    progress(true);
  }

  /** A request the batch did not answer: into the next batch while attempts remain, else failed. */
  private void retryOrFail(String key, String kind, String message) {
    Waiter w = waiting.get(key);
    if (w == null) {
      return; // nobody in this run asks it (a recovered batch of an earlier run): nothing to retry
    }
    if (w.attempts < w.maxAttempts) {
      enqueue(key, w);
      return;
    }
    fail(key, new ModelCallException(-1, false, null, w.spec.name() + ": " + kind + " after " + w.attempts
        + " batch attempt(s): " + message, kind, Usage.NONE, null, null, null, w.attempts));
  }

  private synchronized void fail(String key, ModelCallException e) {
    Waiter w = waiting.remove(key);
    if (w != null) {
      w.futures.forEach(f -> f.completeExceptionally(e));
    }
  }

  /** A reply as the cache keeps it (the same fields a live call caches). */
  static ResponseCache.Entry entry(ChatResponse r) {
    return new ResponseCache.Entry(r.text(), r.usage().inputTokens(), r.usage().outputTokens(), r.latencyMs(),
        r.usage().reasoningTokens(), r.usage().billedInputTokens(), r.usage().billedOutputTokens(),
        r.finishReason(), r.modelVersion(), r.truncated());
  }

  // ---- the durable record ----

  private ResourceId recordsDirectory() {
    return FileSystems.matchNewResource(cacheDirectory, true)
        .resolve(RECORDS, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  private static String fileName(String batchId) {
    return batchId.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static String recordJson(String batchId, String tag, String protocol, ModelSpec spec, List<String> keys) {
    ObjectNode o = WireProtocol.MAPPER.createObjectNode();
    if (batchId != null) {
      o.put("batch_id", batchId);
    }
    o.put("claim", tag);
    o.put("protocol", protocol);
    o.put("model", spec.name());
    o.put("submitted_at", java.time.Instant.now().toString());
    var ids = o.putArray("custom_ids");
    keys.forEach(ids::add);
    return o.toString();
  }

  /** The record of the batch submitted under claim {@code tag}: named by the tag, which claims point to. */
  private ResourceId recordFile(String tag) {
    return recordsDirectory().resolve(fileName(tag) + ".json", StandardResolveOptions.RESOLVE_FILE);
  }

  /** The keys claimed under {@code tag}, written before their batch is submitted. */
  private ResourceId pending(String tag) {
    return recordsDirectory().resolve(fileName(tag) + ".pending", StandardResolveOptions.RESOLVE_FILE);
  }

  private ResourceId claimFile(String key, int generation) {
    return recordsDirectory().resolve(CLAIMS, StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(fileName(key) + "." + generation + ".claim", StandardResolveOptions.RESOLVE_FILE);
  }

  /** The JSON in {@code file}, or null when it is not there (or not complete yet). */
  private static JsonNode readJson(ResourceId file) throws IOException {
    if (!exists(file)) {
      return null;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.isBlank() ? null : WireProtocol.MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  private ResourceId writeRecord(String batchId, String tag, String protocol, ModelSpec spec, List<String> keys)
      throws IOException {
    ResourceId file = recordFile(tag);
    writeText(file, recordJson(batchId, tag, protocol, spec, keys));
    synchronized (this) {
      recordsSeen.add(file.toString());
    }
    return file;
  }

  private static ResourceId ended(ResourceId record) {
    String name = record.getFilename();
    return record.getCurrentDirectory().resolve(name.substring(0, name.length() - ".json".length()) + ".ended",
        StandardResolveOptions.RESOLVE_FILE);
  }

  /** Written under a temporary name and renamed, as cache entries are: never a torn record. */
  private static void writeText(ResourceId target, String text) throws IOException {
    ResourceId temp = target.getCurrentDirectory()
        .resolve("." + target.getFilename() + "." + UUID.randomUUID() + ".tmp", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(List.of(temp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /**
   * Reads the records not seen yet: a batch without its end marker is open, its keys are never
   * submitted again, and it is polled (its results go into the cache whoever asks for them).
   */
  private void refreshRecords() {
    List<MatchResult.Metadata> found;
    try {
      MatchResult m = FileSystems.match(recordsDirectory().toString() + "*.json");
      if (m.status() != MatchResult.Status.OK) {
        return;
      }
      found = m.metadata();
    } catch (FileNotFoundException | NoSuchFileException e) {
      return;
    } catch (IOException e) {
      err.println("batch: cannot list " + recordsDirectory() + ": " + e.getMessage());
      return;
    }
    for (MatchResult.Metadata md : found) {
      ResourceId file = md.resourceId();
      if (file.getFilename().startsWith(".") || !recordsSeen.add(file.toString())) {
        continue;
      }
      try {
        if (exists(ended(file))) {
          continue;
        }
        JsonNode r;
        try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
          r = WireProtocol.MAPPER.readTree(in);
        }
        String id = r.path("batch_id").asText();
        ModelSpec spec = models.apply(r.path("model").asText());
        if (spec == null || active.containsKey(id)) {
          continue; // a model this run does not have: its own run will collect it
        }
        List<String> keys = new ArrayList<>();
        r.path("custom_ids").forEach(k -> keys.add(k.asText()));
        Active a = new Active(id, spec.name(), target(spec), keys, file);
        a.nextPoll = System.currentTimeMillis();
        active.put(id, a);
        for (String k : keys) {
          keyToBatch.put(k, id);
          Waiter w = waiting.get(k);
          if (w != null) {
            w.attempts++;
            w.submittedAt = System.currentTimeMillis();
          }
        }
        // Counted as submitted (by an earlier run or another worker), so the progress line adds up.
        batchesSubmitted++;
        requestsSubmitted += keys.size();
        err.println("batch: picked up " + id + " (" + keys.size() + " requests of " + spec.name()
            + ") from " + file);
      } catch (IOException | RuntimeException e) {
        err.println("batch: cannot read the record " + file + ": " + e.getMessage());
      }
    }
  }

  private static boolean exists(ResourceId file) throws IOException {
    MatchResult m = FileSystems.match(file.toString());
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
  }

  /** The progress line: batches submitted, in progress, done; requests done of submitted. */
  private void progress(boolean changed) {
    String line;
    synchronized (this) {
      long inProgress = active.size();
      long pendingDone = active.values().stream().mapToLong(a -> a.done).sum();
      line = String.format(Locale.ROOT, "batches: %d submitted, %d in progress, %d done; requests: %d of %d done",
          batchesSubmitted, inProgress, batchesDone, requestsDone + pendingDone, requestsSubmitted);
    }
    long now = System.currentTimeMillis();
    if (PROGRESS_EVERY_MS >= 0 && !line.equals(lastLine) && (changed || now - lastProgress >= PROGRESS_EVERY_MS)) {
      lastLine = line;
      lastProgress = now;
      err.println(line);
    }
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    heartbeat.interrupt();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
    synchronized (this) {
      for (String k : new ArrayList<>(waiting.keySet())) {
        fail(k, new ModelCallException(-1, false, null, "run ended while the call waited for its batch"));
      }
    }
  }
}
