package dev.cltbench.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpMediaType;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.MultipartContent;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The three batch protocols cltbench speaks (../shared/provider-specs, "Batch facts"): OpenAI's Batch
 * API (a JSONL file uploaded to /files, then /batches), Anthropic's Message Batches (requests inline)
 * and Gemini's batchGenerateContent (inline requests, a long-running Operation). Each request's body is
 * built by the same {@link WireProtocol} as a live call, and each result is read by the same parser, so
 * a batched answer is the answer a live call would have cached. Requests are matched back by custom id
 * (the call's cache key: 64 hex digits, inside Anthropic's {@code ^[a-zA-Z0-9_-]{1,64}$}).
 */
abstract class BatchWire {
  /** Where one model's batches go: its endpoint, key (read on the worker), body builder and parser. */
  record Target(String label, String protocol, String base, String modelId, String apiKey, WireProtocol wire,
      HttpModelClient parser) {
    /** The endpoint's base URL without a trailing slash, as every protocol's paths are appended to it. */
    String root() {
      return WireProtocol.stripSlash(base);
    }

    /** The protocol's headers with the key (a copy: a protocol may add its own). */
    Map<String, String> headers() {
      return new HashMap<>(wire.headers(apiKey));
    }
  }

  /** One request of a batch: its custom id and the chat request. */
  record Item(String customId, ChatRequest request) {}

  /** What became of one request when its batch ended. */
  record Result(String customId, JsonNode reply, String failureKind, String message) {
    boolean ok() {
      return reply != null;
    }
  }

  /**
   * A batch as last seen: ended or not, counts for the progress line, and once ended every
   * request's result (a request missing from the results counts as errored).
   */
  record Status(boolean ended, long done, long total, List<Result> results) {}

  /** Failure kinds of requests a batch did not answer (failures.jsonl's kind after the last attempt). */
  static final String ERRORED = "batch_errored";
  static final String EXPIRED = "batch_expired";
  static final String CANCELED = "batch_canceled";

  static BatchWire of(String protocol) {
    return switch (protocol) {
      case "openai" -> new OpenAi();
      case "anthropic" -> new Anthropic();
      case "gemini" -> new Gemini();
      default -> throw new IllegalArgumentException("no batch API for protocol " + protocol);
    };
  }

  /** Requests per batch the provider takes at most. */
  abstract int maxRequests();

  /** Bytes of one batch's requests the provider takes at most (file or inline body). */
  abstract long maxBytes();

  /** One request as it goes into the batch (a JSONL line, an element of requests[]). */
  abstract ObjectNode item(Target t, Item item);

  /** Submits the items as one batch; returns its id. */
  String submit(Http http, Target t, List<ObjectNode> items) throws IOException {
    return submit(http, t, items, null);
  }

  /**
   * Submits the items as one batch tagged {@code tag} (the claim that let this worker submit them,
   * where the protocol carries a tag on a batch); returns its id.
   */
  abstract String submit(Http http, Target t, List<ObjectNode> items, String tag) throws IOException;

  /**
   * The id of the batch tagged {@code tag}, found by listing the provider's batches, or null if there
   * is none. What finds a batch a worker submitted but did not live to record. Throws
   * {@link UnsupportedOperationException} where the protocol has no tag on a batch to match.
   */
  abstract String find(Http http, Target t, String tag) throws IOException;

  /** The metadata key (OpenAI) under which a batch carries its claim's tag. */
  static final String TAG_KEY = "cltbench_claim";

  /** Listing stops after this many pages: the tagged batch is recent, and lists are newest first. */
  static final int FIND_PAGES = 20;

  /** The batch's state; once ended, its results. */
  abstract Status poll(Http http, Target t, String batchId) throws IOException;

  /** The bytes an item adds to its batch (its JSON plus a newline or comma). */
  static long bytes(ObjectNode item) {
    return item.toString().getBytes(StandardCharsets.UTF_8).length + 1L;
  }

  /**
   * Splits items into batches within the provider's limits, in order. An item alone over the byte
   * limit still gets a batch of its own (the provider then rejects it, and the request fails).
   */
  static List<List<ObjectNode>> split(List<ObjectNode> items, int maxRequests, long maxBytes) {
    List<List<ObjectNode>> out = new ArrayList<>();
    List<ObjectNode> current = new ArrayList<>();
    long size = 0;
    for (ObjectNode i : items) {
      long b = bytes(i);
      if (!current.isEmpty() && (current.size() >= maxRequests || size + b > maxBytes)) {
        out.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(i);
      size += b;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** A small HTTP helper over google-http-client: JSON in, JSON (or text) out, errors as IOException. */
  static final class Http implements AutoCloseable {
    private final NetHttpTransport transport = new NetHttpTransport();

    String send(String method, String url, Map<String, String> headers, HttpContent content) throws IOException {
      HttpRequest req = transport.createRequestFactory().buildRequest(method, new GenericUrl(url), content);
      HttpHeaders h = new HttpHeaders();
      h.setUserAgent("cltbench");
      headers.forEach(h::set);
      req.setHeaders(h);
      req.setConnectTimeout(10_000);
      req.setReadTimeout(300_000);
      req.setThrowExceptionOnExecuteError(false);
      req.setNumberOfRetries(0);
      req.setLoggingEnabled(false); // headers carry keys
      req.setCurlLoggingEnabled(false);
      HttpResponse r = req.execute();
      String text;
      try (InputStream in = r.getContent()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (r.getStatusCode() / 100 != 2) {
        String s = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        throw new IOException(method + " " + url + ": HTTP " + r.getStatusCode() + ": " + s.replaceAll("\\s+", " "));
      }
      return text;
    }

    JsonNode json(String method, String url, Map<String, String> headers, JsonNode body) throws IOException {
      HttpContent c = body == null ? null
          : new ByteArrayContent("application/json", WireProtocol.MAPPER.writeValueAsBytes(body));
      return WireProtocol.MAPPER.readTree(send(method, url, headers, c));
    }

    @Override
    public void close() {
      try {
        transport.shutdown();
      } catch (IOException ignored) {
        // nothing held open
      }
    }
  }

  /** OpenAI: upload the JSONL input file, create the batch, read the output and error files. */
  static final class OpenAi extends BatchWire {
    static final String ENDPOINT = "/v1/chat/completions";

    @Override
    int maxRequests() {
      return 50_000;
    }

    @Override
    long maxBytes() {
      return 200L * 1000 * 1000;
    }

    @Override
    ObjectNode item(Target t, Item item) {
      ObjectNode o = WireProtocol.MAPPER.createObjectNode();
      o.put("custom_id", item.customId());
      o.put("method", "POST");
      o.put("url", ENDPOINT);
      o.set("body", t.wire().body(t.modelId(), item.request()));
      return o;
    }

    @Override
    String submit(Http http, Target t, List<ObjectNode> items, String tag) throws IOException {
      StringBuilder jsonl = new StringBuilder();
      for (ObjectNode i : items) {
        jsonl.append(i).append('\n');
      }
      // multipart/form-data with the two fields POST /files takes: purpose and file.
      MultipartContent form = new MultipartContent().setMediaType(
          new HttpMediaType("multipart/form-data").setParameter("boundary", "cltbench-batch-boundary"));
      form.addPart(new MultipartContent.Part(new HttpHeaders().set("Content-Disposition",
          "form-data; name=\"purpose\""), new ByteArrayContent(null, "batch".getBytes(StandardCharsets.UTF_8))));
      form.addPart(new MultipartContent.Part(new HttpHeaders().set("Content-Disposition",
          "form-data; name=\"file\"; filename=\"cltbench-batch.jsonl\""),
          new ByteArrayContent("application/jsonl", jsonl.toString().getBytes(StandardCharsets.UTF_8))));
      String file = WireProtocol.MAPPER.readTree(http.send("POST", t.root() + "/files", t.headers(), form))
          .path("id").asText(null);
      if (file == null) {
        throw new IOException(t.label() + ": POST /files returned no id");
      }
      ObjectNode create = WireProtocol.MAPPER.createObjectNode();
      create.put("input_file_id", file);
      create.put("endpoint", ENDPOINT);
      create.put("completion_window", "24h");
      if (tag != null) {
        create.putObject("metadata").put(TAG_KEY, tag);
      }
      String id = http.json("POST", t.root() + "/batches", t.headers(), create).path("id").asText(null);
      if (id == null) {
        throw new IOException(t.label() + ": POST /batches returned no id");
      }
      return id;
    }

    /** GET /batches (newest first, paged by {@code after}), matching metadata's tag. */
    @Override
    String find(Http http, Target t, String tag) throws IOException {
      String after = null;
      for (int page = 0; page < FIND_PAGES; page++) {
        String url = t.root() + "/batches?limit=100" + (after == null ? "" : "&after=" + after);
        JsonNode list = http.json("GET", url, t.headers(), null);
        for (JsonNode b : list.path("data")) {
          if (tag.equals(b.path("metadata").path(TAG_KEY).asText(null))) {
            return b.path("id").asText(null);
          }
        }
        if (!list.path("has_more").asBoolean(false) || !list.path("last_id").isTextual()) {
          return null;
        }
        after = list.get("last_id").asText();
      }
      return null;
    }

    @Override
    Status poll(Http http, Target t, String batchId) throws IOException {
      JsonNode b = http.json("GET", t.root() + "/batches/" + batchId, t.headers(), null);
      String status = b.path("status").asText("");
      JsonNode counts = b.path("request_counts");
      long total = counts.path("total").asLong(0);
      long done = counts.path("completed").asLong(0) + counts.path("failed").asLong(0);
      if (!List.of("completed", "failed", "expired", "cancelled").contains(status)) {
        return new Status(false, done, total, List.of());
      }
      List<Result> results = new ArrayList<>();
      String failed = "cancelled".equals(status) ? CANCELED : "expired".equals(status) ? EXPIRED : ERRORED;
      for (String field : List.of("output_file_id", "error_file_id")) {
        String file = b.path(field).asText(null);
        if (file == null || file.isEmpty() || b.path(field).isNull()) {
          continue;
        }
        String content = http.send("GET", t.root() + "/files/" + file + "/content", t.headers(), null);
        for (String line : content.split("\n")) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode l = WireProtocol.MAPPER.readTree(line);
          String id = l.path("custom_id").asText();
          JsonNode resp = l.path("response");
          if (resp.isObject() && resp.path("status_code").asInt() == 200 && resp.path("body").isObject()) {
            results.add(new Result(id, resp.get("body"), null, null));
          } else {
            String code = l.path("error").path("code").asText("");
            String kind = "batch_expired".equals(code) ? EXPIRED : "batch_cancelled".equals(code) ? CANCELED : failed;
            String msg = l.path("error").path("message").asText(resp.path("body").toString());
            results.add(new Result(id, null, kind, "HTTP " + resp.path("status_code").asInt(-1) + " " + code + ": " + msg));
          }
        }
      }
      return new Status(true, done, total, results);
    }


  }

  /** Anthropic: requests inline in one POST; results as JSONL once processing has ended. */
  static final class Anthropic extends BatchWire {
    @Override
    int maxRequests() {
      return 100_000;
    }

    @Override
    long maxBytes() {
      return 256L * 1000 * 1000;
    }

    @Override
    ObjectNode item(Target t, Item item) {
      ObjectNode o = WireProtocol.MAPPER.createObjectNode();
      o.put("custom_id", item.customId());
      o.set("params", t.wire().body(t.modelId(), item.request()));
      return o;
    }

    @Override
    String submit(Http http, Target t, List<ObjectNode> items, String tag) throws IOException {
      ObjectNode body = WireProtocol.MAPPER.createObjectNode();
      ArrayNode requests = body.putArray("requests");
      items.forEach(requests::add);
      String id = http.json("POST", t.root() + "/v1/messages/batches", t.headers(), body).path("id").asText(null);
      if (id == null) {
        throw new IOException(t.label() + ": POST /v1/messages/batches returned no id");
      }
      return id;
    }

    /**
     * A Message Batch takes no metadata or name (its create body is only {@code requests}), and its
     * requests' custom ids can be read only after it ends: there is no tag to match while it runs.
     */
    @Override
    String find(Http http, Target t, String tag) {
      throw new UnsupportedOperationException("an Anthropic message batch carries no tag to find it by");
    }

    @Override
    Status poll(Http http, Target t, String batchId) throws IOException {
      JsonNode b = http.json("GET", t.root() + "/v1/messages/batches/" + batchId, t.headers(), null);
      JsonNode c = b.path("request_counts");
      long done = c.path("succeeded").asLong(0) + c.path("errored").asLong(0) + c.path("canceled").asLong(0)
          + c.path("expired").asLong(0);
      long total = done + c.path("processing").asLong(0);
      if (!"ended".equals(b.path("processing_status").asText())) {
        return new Status(false, done, total, List.of());
      }
      String url = b.path("results_url").isTextual() ? b.get("results_url").asText()
          : t.root() + "/v1/messages/batches/" + batchId + "/results";
      List<Result> results = new ArrayList<>();
      for (String line : http.send("GET", url, t.headers(), null).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode l = WireProtocol.MAPPER.readTree(line);
        String id = l.path("custom_id").asText();
        JsonNode r = l.path("result");
        switch (r.path("type").asText()) {
          case "succeeded" -> results.add(new Result(id, r.get("message"), null, null));
          case "expired" -> results.add(new Result(id, null, EXPIRED, "request expired with its batch"));
          case "canceled" -> results.add(new Result(id, null, CANCELED, "request canceled with its batch"));
          default -> results.add(new Result(id, null, ERRORED, "errored: " + r.path("error").toString()));
        }
      }
      return new Status(true, done, total, results);
    }


  }

  /** Gemini: batchGenerateContent with inline requests; the batch is a long-running Operation. */
  static final class Gemini extends BatchWire {
    @Override
    int maxRequests() {
      return 100_000; // the guide names no count, only bytes; a bound keeps one reply readable
    }

    @Override
    long maxBytes() {
      return 20L * 1000 * 1000; // inline requests; larger batches would need the File API
    }

    @Override
    ObjectNode item(Target t, Item item) {
      ObjectNode o = WireProtocol.MAPPER.createObjectNode();
      o.set("request", t.wire().body(t.modelId(), item.request()));
      o.putObject("metadata").put("key", item.customId());
      return o;
    }

    @Override
    String submit(Http http, Target t, List<ObjectNode> items, String tag) throws IOException {
      ObjectNode body = WireProtocol.MAPPER.createObjectNode();
      ObjectNode batch = body.putObject("batch");
      batch.put("displayName", tag == null ? "cltbench" : "cltbench " + tag);
      ArrayNode requests = batch.putObject("inputConfig").putObject("requests").putArray("requests");
      items.forEach(requests::add);
      JsonNode op = http.json("POST", t.root() + "/v1beta/" + model(t) + ":batchGenerateContent", t.headers(), body);
      String name = op.path("name").asText(null);
      if (name == null) {
        throw new IOException(t.label() + ": batchGenerateContent returned no operation name");
      }
      return name; // batches/ID
    }

    /** GET /v1beta/batches (Operations.list, paged by pageToken), matching the display name. */
    @Override
    String find(Http http, Target t, String tag) throws IOException {
      String token = null;
      for (int page = 0; page < FIND_PAGES; page++) {
        String url = t.root() + "/v1beta/batches?pageSize=100" + (token == null ? "" : "&pageToken=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
        JsonNode list = http.json("GET", url, t.headers(), null);
        for (JsonNode op : list.path("operations")) {
          if (("cltbench " + tag).equals(op.path("metadata").path("displayName").asText(null))) {
            return op.path("name").asText(null);
          }
        }
        token = list.path("nextPageToken").asText("");
        if (token.isEmpty()) {
          return null;
        }
      }
      return null;
    }

    @Override
    Status poll(Http http, Target t, String batchId) throws IOException {
      JsonNode op = http.json("GET", t.root() + "/v1beta/" + batchId, t.headers(), null);
      JsonNode meta = op.path("metadata");
      // BATCH_STATE_* in the discovery document, JOB_STATE_* in the guide and SDKs: both are read.
      String state = meta.path("state").asText("").replace("JOB_STATE_", "BATCH_STATE_");
      JsonNode stats = meta.path("batchStats");
      long total = stats.path("requestCount").asLong(0);
      long done = stats.path("successfulRequestCount").asLong(0) + stats.path("failedRequestCount").asLong(0);
      boolean ended = op.path("done").asBoolean(false) || List.of("BATCH_STATE_SUCCEEDED", "BATCH_STATE_FAILED",
          "BATCH_STATE_CANCELLED", "BATCH_STATE_EXPIRED").contains(state);
      if (!ended) {
        return new Status(false, done, total, List.of());
      }
      JsonNode inlined = meta.path("output").path("inlinedResponses").path("inlinedResponses");
      if (!inlined.isArray()) {
        JsonNode r = op.path("response").path("inlinedResponses");
        inlined = r.path("inlinedResponses").isArray() ? r.path("inlinedResponses") : r;
      }
      String failed = state.endsWith("CANCELLED") ? CANCELED : state.endsWith("EXPIRED") ? EXPIRED : ERRORED;
      List<Result> results = new ArrayList<>();
      if (inlined.isArray()) {
        for (JsonNode r : inlined) {
          String id = r.path("metadata").path("key").asText();
          if (r.path("response").isObject()) {
            results.add(new Result(id, r.get("response"), null, null));
          } else {
            results.add(new Result(id, null, failed, "error: " + r.path("error").toString()));
          }
        }
      }
      return new Status(true, done, total, results);
    }

    private static String model(Target t) {
      return t.modelId().startsWith("models/") ? t.modelId() : "models/" + t.modelId();
    }


  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
