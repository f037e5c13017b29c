package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's calls when Flink cancels its task for a restart: the DoFn's teardown closes its session
 * (and, as the JVM's last holder, the run's ledger and log) while one call is in flight and others
 * wait for the endpoint's only slot. The one in flight ends on the endpoint's thread; the waiting ones
 * are not sent (the restarted job makes them). Every request the server received must be in the run's
 * call log, which is what tables/costs.csv counts (LostWorkerIT once had 205 of 877 requests missing).
 */
class CancelledWorkerCallsTest {
  @TempDir Path tmp;

  private static final String REPLY = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Иә.\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}";

  @Test
  void callsSentAfterTheSessionClosedAreCounted() throws Exception {
    AtomicInteger received = new AtomicInteger();
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      received.incrementAndGet();
      firstArrived.countDown();
      try {
        answer.await(30, TimeUnit.SECONDS); // the first call is in flight while the session closes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = REPLY.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
      PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
      ModelSpec model = new ModelSpec("local", "openai-compatible", "m", "english-first", base, null, null, 64, null,
          null, null, null, null);
      // One slot for the endpoint: the second and third calls wait in its pool; one attempt each.
      def = new PipelineDefinition(def.name(), def.description(), def.languages(), def.families(), List.of(model),
          def.conditions(), def.transferMarkers(), def.judge(), def.rubric(), def.statistics(), def.benchmark(),
          def.judges(), def.prompts(), Map.of("default", new PipelineDefinition.Limit(1, 0, 0, 1, 30)), null, null);
      String logDir = tmp.resolve("staging/.cltbench-calls").toString();
      ModelCalls calls = new ModelCalls(def, tmp.resolve("cache").toString(), null, ModelClients.factory(def))
          .withCallLog(logDir);
      ModelCalls.Session session = calls.open(); // a DoFn's @Setup
      List<CompletableFuture<CallOutcome>> sent = new ArrayList<>();
      for (String q : List.of("бір", "екі", "үш")) {
        sent.add(session.call(new Call("answer", "local", "s", q)));
      }
      assertTrue(firstArrived.await(30, TimeUnit.SECONDS));
      session.close(); // its @Teardown as the task is cancelled: the JVM's last holder of the run's ledger
      answer.countDown();
      List<CallOutcome> outcomes = new ArrayList<>();
      for (CompletableFuture<CallOutcome> f : sent) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      CallLogSummary log = new CallLogSummary(logDir).refresh();
      // The call in flight ends and is counted; the two waiting for the slot are not sent: the
      // restarted job makes them (sent now, they would be paid outside any ledger, and perhaps twice).
      assertEquals(1, received.get(), "only the call in flight at the close reached the endpoint");
      assertTrue(outcomes.get(0).failure() == null, outcomes.get(0).toString());
      for (CallOutcome o : outcomes.subList(1, 3)) {
        assertTrue(o.failure() != null && o.failure().reason().contains("a restart cancelled it"), o.toString());
      }
      assertEquals(received.get(), log.perModel().get("local")[0], "calls in the log = requests received");
      assertEquals(received.get(), log.perModel().get("local")[2], "attempts in the log = requests received");
    } finally {
      server.stop(0);
    }
  }
}
