package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.output.FileSystemsOutput;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch mode on a cluster: two workers (two {@link BatchCalls} of different run ids in one JVM, each
 * with its own state, sharing only the cache directory, as two Flink task managers do) asking
 * overlapping requests at the same moment submit each request once, checked by the emulator's own
 * count of the requests its batches received. And a batch whose worker died between the provider
 * accepting it and its record being written is found at the provider by its tag, not submitted again.
 */
class BatchClusterTest {
  static final List<String> PROTOCOLS = List.of("openai", "anthropic", "gemini");

  static ModelSpec model(String provider, String base) {
    return BatchSpecConformanceTest.model(provider, base, null);
  }

  /** Texts past the data we know, distinct per index. */
  static ChatRequest request(int i) {
    String[] users = {"Қазақстанның астанасы? ", "a < b & \"c\" 'd' ", "Монгол улсын нийслэл? "};
    return new ChatRequest(i % 2 == 0 ? null : "Answer briefly.", users[i % 3] + i, 64, null, null);
  }

  static Map<String, ModelSpec> models(ModelEmulator emu) {
    Map<String, ModelSpec> m = new HashMap<>();
    m.put("m-openai", model("openai", emu.openAiBaseUrl()));
    m.put("m-anthropic", model("anthropic", emu.baseUrl()));
    m.put("m-gemini", model("gemini", emu.baseUrl()));
    return m;
  }

  /** A heartbeat as BatchCalls writes its own: a new file renamed over the old one. */
  static void heartbeat(Path file) throws java.io.IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + "." + System.nanoTime() + ".tmp");
    Files.writeString(temp, "{\"at\":" + System.currentTimeMillis() + "}");
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static BatchCalls worker(String id, Path cache, Map<String, ModelSpec> models) {
    return BatchCalls.acquire(id, cache.toString(), models::get, s -> ModelClients.batchTarget(s, k -> null));
  }

  @Test
  void twoWorkersAskingTheSameRequestsAtOnceSubmitEachOnce(@TempDir Path tmp) throws Exception {
    try (ModelEmulator emu = ModelEmulator.builder().batchDelay(Duration.ofMillis(300)).start()) {
      Map<String, ModelSpec> models = models(emu);
      String run = "cluster-" + System.nanoTime();
      BatchCalls w1 = worker(run + "-w1", tmp, models);
      BatchCalls w2 = worker(run + "-w2", tmp, models);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CyclicBarrier together = new CyclicBarrier(2);
        // Worker 1 asks 0..29, worker 2 asks 10..39, of each model: 20 requests of each model overlap.
        Future<List<CompletableFuture<ChatResponse>>> f1 = pool.submit(() -> ask(w1, models, 0, 30, together));
        Future<List<CompletableFuture<ChatResponse>>> f2 = pool.submit(() -> ask(w2, models, 10, 40, together));
        List<CompletableFuture<ChatResponse>> all = new ArrayList<>(f1.get(30, TimeUnit.SECONDS));
        all.addAll(f2.get(30, TimeUnit.SECONDS));
        for (CompletableFuture<ChatResponse> f : all) {
          ChatResponse r = f.get(120, TimeUnit.SECONDS);
          assertFalse(r.text().isBlank(), "every call answered");
        }
        Map<String, Integer> received = emu.batchRequestsReceived();
        assertEquals(40 * PROTOCOLS.size(), received.size(), "every distinct request reached the emulator: " + received);
        received.forEach((k, n) -> assertEquals(1, n, "submitted once: " + k));
        try (var claims = Files.list(tmp.resolve("batches").resolve("claims"))) {
          assertEquals(40 * PROTOCOLS.size(), claims.count(), "one claim per request");
        }
      } finally {
        pool.shutdownNow();
        BatchCalls.release(run + "-w1");
        BatchCalls.release(run + "-w2");
      }
    }
  }

  static List<CompletableFuture<ChatResponse>> ask(BatchCalls w, Map<String, ModelSpec> models, int from, int to,
      CyclicBarrier together) throws Exception {
    together.await(10, TimeUnit.SECONDS);
    List<CompletableFuture<ChatResponse>> out = new ArrayList<>();
    for (String p : PROTOCOLS) {
      ModelSpec spec = models.get("m-" + p);
      for (int i = from; i < to; i++) {
        ChatRequest r = request(i);
        out.add(w.call(spec, ResponseCache.key(spec, r.system(), r.user(), 0), r, 2));
      }
    }
    return out;
  }

  /**
   * A worker claimed two requests, wrote what it claimed and submitted the batch, and died before
   * recording it: another worker asking the same requests finds the batch by its tag and collects it,
   * so the emulator receives each request once. (OpenAI's list with metadata, Gemini's with display
   * names; an Anthropic message batch has no tag to list by.)
   */
  @Test
  void aBatchAcceptedButNotRecordedIsFoundAtTheProviderNotResubmitted(@TempDir Path tmp) throws Exception {
    try (ModelEmulator emu = ModelEmulator.builder().batchDelay(Duration.ofMillis(300)).start()) {
      Map<String, ModelSpec> models = models(emu);
      Path records = tmp.resolve("batches");
      Files.createDirectories(records.resolve("claims"));
      List<String> keys = new ArrayList<>();
      for (String p : List.of("openai", "gemini")) {
        ModelSpec spec = models.get("m-" + p);
        BatchWire.Target t = ModelClients.batchTarget(spec, k -> null);
        BatchWire wire = BatchWire.of(p);
        String tag = "dead-worker-" + p;
        List<ObjectNode> items = new ArrayList<>();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          ChatRequest r = request(i);
          String key = ResponseCache.key(spec, r.system(), r.user(), 0);
          mine.add(key);
          items.add(wire.item(t, new BatchWire.Item(key, r)));
          Files.writeString(records.resolve("claims").resolve(key + ".1.claim"),
              "{\"tag\":\"" + tag + "\",\"model\":\"" + spec.name() + "\",\"at\":" + System.currentTimeMillis() + "}");
        }
        Files.writeString(records.resolve(tag + ".pending"), "{\"claim\":\"" + tag + "\",\"protocol\":\"" + p
            + "\",\"model\":\"" + spec.name() + "\",\"custom_ids\":[\"" + String.join("\",\"", mine) + "\"]}");
        try (BatchWire.Http http = new BatchWire.Http()) {
          // Another batch first, so the tagged one is not simply the only one listed.
          wire.submit(http, t, List.of(wire.item(t, new BatchWire.Item("other", request(99)))), "someone-else");
          assertNotNull(wire.submit(http, t, items, tag));
        }
        keys.addAll(mine);
      }
      int batchesBefore = emu.batchCount();
      String run = "adopt-" + System.nanoTime();
      BatchCalls w = worker(run, tmp, models);
      try {
        List<CompletableFuture<ChatResponse>> fs = new ArrayList<>();
        int k = 0;
        for (String p : List.of("openai", "gemini")) {
          ModelSpec spec = models.get("m-" + p);
          for (int i = 0; i < 2; i++) {
            fs.add(w.call(spec, keys.get(k++), request(i), 2));
          }
        }
        for (CompletableFuture<ChatResponse> f : fs) {
          assertFalse(f.get(60, TimeUnit.SECONDS).text().isBlank());
        }
        assertEquals(batchesBefore, emu.batchCount(), "no batch was submitted again");
        emu.batchRequestsReceived().forEach((key, n) -> assertEquals(1, n, "submitted once: " + key));
        for (String p : List.of("openai", "gemini")) {
          assertTrue(Files.exists(records.resolve("dead-worker-" + p + ".json")), "the found batch is recorded");
        }
        // The list operations are not in the spec cuts; each listed item is checked as the spec's get reply.
        var http = java.net.http.HttpClient.newHttpClient();
        var openAi = BatchSpecConformanceTest.openApi("openai-batch.inline.json",
            "/paths/~1batches~1{batch_id}/get/responses/200/content/application~1json/schema",
            com.networknt.schema.SpecVersion.VersionFlag.V202012);
        var list = BatchSpecConformanceTest.JSON.readTree(
            BatchSpecConformanceTest.get(http, emu.openAiBaseUrl() + "/batches?limit=1", Map.of()));
        assertTrue(list.path("has_more").asBoolean(), "paged: " + list);
        var all = BatchSpecConformanceTest.JSON.readTree(
            BatchSpecConformanceTest.get(http, emu.openAiBaseUrl() + "/batches?limit=100", Map.of()));
        assertEquals(2, all.path("data").size());
        all.path("data").forEach(b -> BatchSpecConformanceTest.valid(openAi, b, "GET /batches item"));
        var op = BatchSpecConformanceTest.discovery("/resources/batches/methods/get/response");
        var ops = BatchSpecConformanceTest.JSON.readTree(
            BatchSpecConformanceTest.get(http, emu.baseUrl() + "/v1beta/batches?pageSize=100", Map.of()));
        assertEquals(2, ops.path("operations").size());
        ops.path("operations").forEach(o -> BatchSpecConformanceTest.valid(op, o, "GET /v1beta/batches item"));
      } finally {
        BatchCalls.release(run);
      }
    }
  }

  /**
   * A worker claimed a request and stopped before submitting it (no pending list, no batch, no
   * heartbeat): the request is claimed again (claim 2) and submitted once; a request whose claimant
   * is alive (a fresh heartbeat) is left to it.
   */
  @Test
  void aClaimOfAStoppedWorkerIsTakenOverAndALiveOnesIsNot(@TempDir Path tmp) throws Exception {
    try (ModelEmulator emu = ModelEmulator.builder().start()) {
      Map<String, ModelSpec> models = models(emu);
      ModelSpec spec = models.get("m-anthropic");
      Path claims = Files.createDirectories(tmp.resolve("batches").resolve("claims"));
      Path workers = Files.createDirectories(tmp.resolve("batches").resolve("workers"));
      long old = System.currentTimeMillis() - 30_000;
      ChatRequest dead = request(1);
      ChatRequest alive = request(2);
      String deadKey = ResponseCache.key(spec, dead.system(), dead.user(), 0);
      String aliveKey = ResponseCache.key(spec, alive.system(), alive.user(), 0);
      Files.writeString(claims.resolve(deadKey + ".1.claim"),
          "{\"tag\":\"t-dead\",\"model\":\"m-anthropic\",\"worker\":\"gone\",\"at\":" + old + "}");
      Files.writeString(claims.resolve(aliveKey + ".1.claim"),
          "{\"tag\":\"t-alive\",\"model\":\"m-anthropic\",\"worker\":\"busy\",\"at\":" + old + "}");
      // The live worker's heartbeat is there before any claim is looked at, and replaced atomically as a
      // worker's own is (a file truncated and rewritten in place was once read empty, as no heartbeat).
      heartbeat(workers.resolve("busy.alive"));
      String run = "takeover-" + System.nanoTime();
      BatchCalls w = worker(run, tmp, models);
      try {
        CompletableFuture<ChatResponse> a = w.call(spec, aliveKey, alive, 2);
        CompletableFuture<ChatResponse> d = w.call(spec, deadKey, dead, 2);
        for (int i = 0; i < 40 && !d.isDone(); i++) {
          heartbeat(workers.resolve("busy.alive"));
          Thread.sleep(100);
        }
        assertFalse(d.get(30, TimeUnit.SECONDS).text().isBlank());
        assertTrue(Files.exists(claims.resolve(deadKey + ".2.claim")), "the stopped worker's request claimed again");
        assertEquals(1, emu.batchRequestsReceived().size(), "only the stopped worker's request was submitted");
        assertFalse(a.isDone(), "the live claimant's request is left to it");
        assertFalse(Files.exists(claims.resolve(aliveKey + ".2.claim")));
      } finally {
        BatchCalls.release(run);
      }
    }
  }

  /** The exclusive create under contention: of many callers racing for one file, exactly one wins. */
  @Test
  void exactlyOneOfManyRacingCreatorsWins(@TempDir Path tmp) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String file = tmp.resolve("claims").resolve("k" + round + ".1.claim").toString();
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String content = "{\"tag\":\"" + i + " < & \\\"\"}";
          fs.add(pool.submit(() -> {
            start.await();
            return FileSystemsOutput.createExclusive(file, content);
          }));
        }
        int won = 0;
        for (Future<Boolean> f : fs) {
          won += f.get() ? 1 : 0;
        }
        assertEquals(1, won, "round " + round);
        assertTrue(Files.readString(Path.of(file)).startsWith("{\"tag\":\""), "the winner's content, whole");
      }
      try (var left = Files.list(tmp.resolve("claims"))) {
        assertEquals(20, left.count(), "no temporary file left behind");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
