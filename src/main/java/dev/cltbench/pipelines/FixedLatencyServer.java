package dev.cltbench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cltbench.study.PipelineDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The external-style server of {@code bench --benchCase=external}: an OpenAI-compatible chat
 * completions endpoint on 127.0.0.1 that takes a fixed time per request whatever else is in flight,
 * and keeps its own books (requests, seconds with a request in flight, most at once). Deliberately
 * not the project's emulator (JDK {@link HttpServer}, no admission or scheduling of its own): the
 * benchmark measures what a run gets from a server it does not control, as a user's run would.
 * Judge models get a valid grade of the rubric; every other model one line naming the request, so no
 * two requests are identical and none is joined with another.
 */
final class FixedLatencyServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads;
  private final long latencyNanos;
  private final Set<String> judgeModelIds;
  private final List<PipelineDefinition.Criterion> criteria;
  private final Object books = new Object();
  private int inFlight;
  private int maxInFlight;
  private long requests;
  private long busySince;
  private long busyNanos;
  private long firstRequest = -1;
  private long lastReply;

  static {
    // Servers users run (uvicorn, nginx, vLLM) set TCP_NODELAY; the JDK's does not by default, and then
    // a reply's body waits for the client's delayed ACK of its headers (about 40 ms on Linux). Read
    // once, when the JVM's first HttpServer is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private FixedLatencyServer(long latencyMs, Set<String> judgeModelIds, List<PipelineDefinition.Criterion> criteria)
      throws IOException {
    this.latencyNanos = latencyMs * 1_000_000L;
    this.judgeModelIds = Set.copyOf(judgeModelIds);
    this.criteria = List.copyOf(criteria);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    // A thread per request in flight: the server never queues, so the client's limits alone shape the load.
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bench-external-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  static FixedLatencyServer start(long latencyMs, Set<String> judgeModelIds, PipelineDefinition.Rubric rubric)
      throws IOException {
    return new FixedLatencyServer(latencyMs, judgeModelIds, rubric.criteria());
  }

  /** The base URL an {@code openai} model spec points at. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    synchronized (books) {
      if (inFlight == 0) {
        busySince = started;
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      requests++;
      if (firstRequest < 0) {
        firstRequest = started;
      }
    }
    try {
      JsonNode request;
      try (InputStream in = exchange.getRequestBody()) {
        request = JSON.readTree(in);
      }
      String model = request.path("model").asText();
      String user = "";
      for (JsonNode m : request.path("messages")) {
        user = m.path("content").asText();
      }
      String text = judgeModelIds.contains(model) ? grade(user) : "Answer of " + model + " to request "
          + Integer.toHexString(user.hashCode()) + ".";
      ObjectNode reply = JSON.createObjectNode();
      reply.put("id", "chatcmpl-bench").put("object", "chat.completion").put("created", 0).put("model", model);
      ObjectNode choice = reply.putArray("choices").addObject();
      choice.put("index", 0).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", text);
      reply.putObject("usage").put("prompt_tokens", user.length() / 4 + 1).put("completion_tokens", text.length() / 4 + 1)
          .put("total_tokens", user.length() / 4 + text.length() / 4 + 2);
      byte[] body = JSON.writeValueAsBytes(reply);
      long wait = latencyNanos - (System.nanoTime() - started);
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(503, -1);
    } catch (RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    } finally {
      exchange.close();
      long ended = System.nanoTime();
      synchronized (books) {
        inFlight--;
        if (inFlight == 0) {
          busyNanos += ended - busySince;
        }
        lastReply = ended;
      }
    }
  }

  /** A grade within the rubric's ranges, varying with the prompt. */
  private String grade(String prompt) {
    ObjectNode o = JSON.createObjectNode();
    int h = prompt.hashCode();
    for (PipelineDefinition.Criterion c : criteria) {
      o.put(c.name(), c.min() + Math.floorMod(h, c.max() - c.min() + 1));
      h = h * 31 + 7;
    }
    o.put("notes", "bench grade");
    return o.toString();
  }

  /** Requests answered or in flight so far. */
  long requests() {
    synchronized (books) {
      return requests;
    }
  }

  /** Seconds with at least one request in flight. */
  double busySeconds() {
    synchronized (books) {
      return (busyNanos + (inFlight > 0 ? System.nanoTime() - busySince : 0)) / 1e9;
    }
  }

  /** Seconds from the first request to the last reply. */
  double spanSeconds() {
    synchronized (books) {
      return firstRequest < 0 ? 0 : (lastReply - firstRequest) / 1e9;
    }
  }

  /** System.nanoTime() of the first request and of the last reply (-1 before any). */
  long[] firstAndLastNanos() {
    synchronized (books) {
      return new long[] {firstRequest, firstRequest < 0 ? -1 : lastReply};
    }
  }

  int maxInFlight() {
    synchronized (books) {
      return maxInFlight;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
