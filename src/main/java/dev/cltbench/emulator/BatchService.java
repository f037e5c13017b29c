package dev.cltbench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.Responder.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The emulator's three batch protocols (../shared/provider-specs, "Batch facts"): OpenAI's files and
 * batches, Anthropic's message batches and Gemini's batchGenerateContent with inline requests and
 * Operation-shaped replies. A batch ends {@code delay} after it was created (its clock is the wall
 * clock, so it survives a restart); its requests are answered by the same responder as live calls.
 * Every request's first appearance in any batch may be failed on purpose ({@code failEvery},
 * {@code expireEvery}: by a hash of its content, so retries succeed). With a state directory, every
 * batch and file is written there and read back on start: a restarted emulator keeps its batches.
 */
final class BatchService {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern OPENAI_FILE = Pattern.compile("(?:/v1)?/files/([^/]+)/content");
  private static final Pattern OPENAI_BATCH = Pattern.compile("(?:/v1)?/batches/([^/]+?)(/cancel)?");
  private static final Pattern ANTHROPIC = Pattern.compile("/v1/messages/batches/([^/]+?)(/results|/cancel)?");
  private static final Pattern GEMINI_CREATE = Pattern.compile("/v1beta/models/([^/:]+):batchGenerateContent");
  private static final Pattern GEMINI_BATCH = Pattern.compile("/v1beta/batches/([^/:]+)(:cancel)?");

  /** Answers one request of a batch as a live call would be answered: the 200 body. */
  interface Answerer {
    String answer(Protocol p, String pathModel, JsonNode body);
  }

  /** An HTTP reply: status, content type, body. */
  record Out(int status, String contentType, String body) {}

  private final Answerer answerer;
  private final Path stateDir;
  private final Duration delay;
  private final int failEvery;
  private final int expireEvery;
  private final Map<String, ObjectNode> batches = new LinkedHashMap<>();
  private final Map<String, String> files = new LinkedHashMap<>();
  /** How many times each request (protocol, model and body) arrived in a batch. */
  private final Map<String, Integer> received = new TreeMap<>();
  private long next;

  BatchService(Answerer answerer, Path stateDir, Duration delay, int failEvery, int expireEvery) {
    this.answerer = answerer;
    this.stateDir = stateDir;
    this.delay = delay;
    this.failEvery = failEvery;
    this.expireEvery = expireEvery;
    if (stateDir != null) {
      load();
    }
  }

  static boolean handles(String path) {
    return path.matches("(?:/v1)?/files(/.*)?") || path.matches("(?:/v1)?/batches(/.*)?")
        || path.startsWith("/v1/messages/batches") || GEMINI_CREATE.matcher(path).matches()
        || path.startsWith("/v1beta/batches");
  }

  /** Requests received in batches, per request content; a test checks none arrived twice. */
  synchronized Map<String, Integer> received() {
    return new TreeMap<>(received);
  }

  synchronized int batchCount() {
    return batches.size();
  }

  synchronized Out handle(String method, String path, String contentType, byte[] raw) throws IOException {
    return handle(method, path, Map.of(), contentType, raw);
  }

  /** As above, with the URL's query parameters (the list endpoints page by them). */
  synchronized Out handle(String method, String path, Map<String, String> query, String contentType, byte[] raw)
      throws IOException {
    Matcher m;
    if ("POST".equals(method) && path.matches("(?:/v1)?/files")) {
      return openAiUpload(contentType, raw);
    }
    if ("GET".equals(method) && (m = OPENAI_FILE.matcher(path)).matches()) {
      String f = files.get(m.group(1));
      return f == null ? error(404, "no such file") : new Out(200, "application/jsonl", f);
    }
    if ("POST".equals(method) && path.matches("(?:/v1)?/batches")) {
      return openAiCreate(MAPPER.readTree(raw));
    }
    if ("GET".equals(method) && path.matches("(?:/v1)?/batches")) {
      return openAiList(query);
    }
    if ("GET".equals(method) && path.equals("/v1beta/batches")) {
      return geminiList(query);
    }
    if ((m = OPENAI_BATCH.matcher(path)).matches()) {
      return batchReply(m.group(1), m.group(2) != null && "POST".equals(method), "openai");
    }
    if ("POST".equals(method) && path.equals("/v1/messages/batches")) {
      return anthropicCreate(MAPPER.readTree(raw));
    }
    if ((m = ANTHROPIC.matcher(path)).matches()) {
      if ("/results".equals(m.group(2))) {
        return anthropicResults(m.group(1));
      }
      return batchReply(m.group(1), "/cancel".equals(m.group(2)) && "POST".equals(method), "anthropic");
    }
    if ("POST".equals(method) && (m = GEMINI_CREATE.matcher(path)).matches()) {
      return geminiCreate(m.group(1), MAPPER.readTree(raw));
    }
    if ((m = GEMINI_BATCH.matcher(path)).matches()) {
      String id = "batches/" + m.group(1);
      boolean cancel = m.group(2) != null && "POST".equals(method);
      Out o = batchReply(id, cancel, "gemini");
      return cancel && o.status() == 200 ? new Out(200, "application/json", "{}") : o; // cancel returns Empty
    }
    return error(404, "no such batch endpoint: " + path);
  }

  // ---- create ----

  private Out openAiUpload(String contentType, byte[] raw) throws IOException {
    String boundary = contentType == null ? null : contentType.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
    if (boundary == null || contentType == null || !contentType.startsWith("multipart/form-data")) {
      return error(400, "expected multipart/form-data");
    }
    String purpose = null;
    String file = null;
    String body = new String(raw, StandardCharsets.UTF_8);
    for (String part : body.split("--" + Pattern.quote(boundary))) {
      int split = part.indexOf("\r\n\r\n");
      if (split < 0) {
        continue;
      }
      String head = part.substring(0, split);
      String value = part.substring(split + 4);
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      }
      if (head.contains("name=\"purpose\"")) {
        purpose = value;
      } else if (head.contains("name=\"file\"")) {
        file = value;
      }
    }
    if (!"batch".equals(purpose) || file == null) {
      return error(400, "POST /files needs purpose=batch and a file");
    }
    for (String line : file.split("\n")) {
      if (!line.isBlank()) {
        JsonNode l = MAPPER.readTree(line);
        if (!l.path("custom_id").isTextual() || !"POST".equals(l.path("method").asText())
            || !"/v1/chat/completions".equals(l.path("url").asText()) || !l.path("body").isObject()) {
          return error(400, "bad input line: " + line.substring(0, Math.min(200, line.length())));
        }
      }
    }
    String id = "file-emu" + (++next);
    files.put(id, file);
    save("file", id, file);
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", id).put("object", "file").put("bytes", file.getBytes(StandardCharsets.UTF_8).length)
        .put("created_at", now()).put("filename", "cltbench-batch.jsonl").put("purpose", "batch");
    return json(o);
  }

  private Out openAiCreate(JsonNode b) throws IOException {
    String file = files.get(b.path("input_file_id").asText());
    if (file == null || !"24h".equals(b.path("completion_window").asText())
        || !"/v1/chat/completions".equals(b.path("endpoint").asText())) {
      return error(400, "need an uploaded input_file_id, endpoint /v1/chat/completions and completion_window 24h");
    }
    String bad = badMetadata(b.get("metadata"));
    if (bad != null) {
      return error(400, bad);
    }
    List<JsonNode> requests = new ArrayList<>();
    for (String line : file.split("\n")) {
      if (!line.isBlank()) {
        JsonNode l = MAPPER.readTree(line);
        requests.add(MAPPER.createObjectNode().put("custom_id", l.get("custom_id").asText()).set("body", l.get("body")));
      }
    }
    ObjectNode batch = newBatch("batch_emu" + (++next), "openai", null, requests);
    if (batch == null) {
      return error(400, "custom_id must be unique in a batch");
    }
    batch.put("input_file_id", b.path("input_file_id").asText());
    if (b.hasNonNull("metadata")) {
      batch.set("metadata", b.get("metadata"));
    }
    save("batch", batch.get("id").asText(), batch.toString());
    return batchReply(batch.get("id").asText(), false, "openai");
  }

  /** The spec's {@code Metadata}: null or at most 16 string values, keys up to 64 and values up to 512 chars. */
  static String badMetadata(JsonNode m) {
    if (m == null || m.isNull()) {
      return null;
    }
    if (!m.isObject() || m.size() > 16) {
      return "metadata must be an object of at most 16 key-value pairs";
    }
    for (var it = m.fields(); it.hasNext();) {
      var e = it.next();
      if (e.getKey().length() > 64 || !e.getValue().isTextual() || e.getValue().asText().length() > 512) {
        return "metadata keys are strings up to 64 characters, values strings up to 512";
      }
    }
    return null;
  }

  /**
   * GET /batches: newest first, {@code limit} (1 to 100, default 20) after the batch {@code after}, as
   * OpenAI's list object ({@code data}, {@code first_id}, {@code last_id}, {@code has_more}). Not in the
   * spec cut in provider-specs (it has no list operation): shaped after the API reference's ListBatchesResponse.
   */
  private Out openAiList(Map<String, String> query) {
    int limit;
    try {
      limit = Integer.parseInt(query.getOrDefault("limit", "20"));
    } catch (NumberFormatException e) {
      return error(400, "limit must be an integer");
    }
    if (limit < 1 || limit > 100) {
      return error(400, "limit must be between 1 and 100");
    }
    List<ObjectNode> all = new ArrayList<>();
    for (ObjectNode b : batches.values()) {
      if ("openai".equals(b.get("protocol").asText())) {
        all.add(b);
      }
    }
    java.util.Collections.reverse(all);
    int from = 0;
    String after = query.get("after");
    if (after != null) {
      from = -1;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).get("id").asText().equals(after)) {
          from = i + 1;
        }
      }
      if (from < 0) {
        return error(400, "no such batch: " + after);
      }
    }
    ObjectNode o = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = o.putArray("data");
    int to = Math.min(all.size(), from + limit);
    for (int i = from; i < to; i++) {
      settle(all.get(i));
      data.add(openAiBatch(all.get(i)));
    }
    if (data.isEmpty()) {
      o.putNull("first_id").putNull("last_id");
    } else {
      o.put("first_id", data.get(0).get("id").asText()).put("last_id", data.get(data.size() - 1).get("id").asText());
    }
    o.put("has_more", to < all.size());
    return json(o);
  }

  /**
   * GET /v1beta/batches: google.longrunning's Operations.list ({@code operations}, {@code
   * nextPageToken}; {@code pageSize}, {@code pageToken}). Not in the discovery document cut in
   * provider-specs (it has batches.get and batches.cancel only): googleapis' HTTP bindings of
   * Operations name it.
   */
  private Out geminiList(Map<String, String> query) {
    int size;
    int from;
    try {
      size = Integer.parseInt(query.getOrDefault("pageSize", "50"));
      from = Integer.parseInt(query.getOrDefault("pageToken", "0").isEmpty() ? "0" : query.getOrDefault("pageToken", "0"));
    } catch (NumberFormatException e) {
      return error(400, "pageSize and pageToken must be integers here");
    }
    List<ObjectNode> all = new ArrayList<>();
    for (ObjectNode b : batches.values()) {
      if ("gemini".equals(b.get("protocol").asText())) {
        all.add(b);
      }
    }
    java.util.Collections.reverse(all);
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode ops = o.putArray("operations");
    int to = Math.min(all.size(), from + Math.max(1, size));
    for (int i = from; i < to; i++) {
      settle(all.get(i));
      ops.add(geminiOperation(all.get(i)));
    }
    if (to < all.size()) {
      o.put("nextPageToken", Integer.toString(to));
    }
    return json(o);
  }

  private Out anthropicCreate(JsonNode b) throws IOException {
    JsonNode reqs = b.path("requests");
    if (!reqs.isArray() || reqs.isEmpty()) {
      return error(400, "requests is missing or empty");
    }
    List<JsonNode> requests = new ArrayList<>();
    for (JsonNode r : reqs) {
      if (!r.path("custom_id").asText("").matches("[a-zA-Z0-9_-]{1,64}") || !r.path("params").isObject()) {
        return error(400, "each request needs a custom_id matching ^[a-zA-Z0-9_-]{1,64}$ and params");
      }
      requests.add(MAPPER.createObjectNode().put("custom_id", r.get("custom_id").asText()).set("body", r.get("params")));
    }
    ObjectNode batch = newBatch("msgbatch_emu" + (++next), "anthropic", null, requests);
    if (batch == null) {
      return error(400, "custom_id must be unique in a batch");
    }
    save("batch", batch.get("id").asText(), batch.toString());
    return batchReply(batch.get("id").asText(), false, "anthropic");
  }

  private Out geminiCreate(String model, JsonNode b) throws IOException {
    JsonNode reqs = b.path("batch").path("inputConfig").path("requests").path("requests");
    if (!reqs.isArray() || reqs.isEmpty()) {
      return error(400, "batch.inputConfig.requests.requests is missing or empty");
    }
    List<JsonNode> requests = new ArrayList<>();
    int i = 0;
    for (JsonNode r : reqs) {
      if (!r.path("request").isObject()) {
        return error(400, "each inlined request needs request");
      }
      ObjectNode one = MAPPER.createObjectNode();
      one.put("custom_id", "#" + i++);
      one.set("body", r.get("request"));
      if (r.has("metadata")) {
        one.set("metadata", r.get("metadata"));
      }
      requests.add(one);
    }
    ObjectNode batch = newBatch("batches/emu" + (++next), "gemini", model, requests);
    batch.put("display_name", b.path("batch").path("displayName").asText(""));
    save("batch", batch.get("id").asText(), batch.toString());
    return batchReply(batch.get("id").asText(), false, "gemini");
  }

  /** A new batch's state (null when custom ids repeat), counting each request as received. */
  private ObjectNode newBatch(String id, String protocol, String model, List<JsonNode> requests) {
    if (requests.stream().map(r -> r.get("custom_id").asText()).distinct().count() != requests.size()) {
      return null;
    }
    ObjectNode b = MAPPER.createObjectNode();
    b.put("id", id).put("protocol", protocol).put("created_ms", System.currentTimeMillis());
    if (model != null) {
      b.put("model", model);
    }
    ArrayNode rs = b.putArray("requests");
    for (JsonNode r : requests) {
      ObjectNode one = ((ObjectNode) r).put("first", count(protocol, model, r.get("body")) == 1);
      rs.add(one);
    }
    batches.put(id, b);
    return b;
  }

  private int count(String protocol, String model, JsonNode body) {
    return received.merge(contentKey(protocol, model, body), 1, Integer::sum);
  }

  private static String contentKey(String protocol, String model, JsonNode body) {
    return HexFormat.of().formatHex(FaultPlan.sha256(protocol + "\u0000" + model + "\u0000" + body));
  }

  // ---- state ----

  private boolean ended(ObjectNode b) {
    return b.path("cancelled").asBoolean(false) || System.currentTimeMillis() >= b.get("created_ms").asLong() + delay.toMillis();
  }

  /** Settles an ended batch's results once (kept, and saved). */
  private void settle(ObjectNode b) {
    if (b.has("results") || !ended(b)) {
      return;
    }
    String protocol = b.get("protocol").asText();
    Protocol p = switch (protocol) {
      case "openai" -> Protocol.OPENAI;
      case "anthropic" -> Protocol.ANTHROPIC;
      default -> Protocol.GEMINI;
    };
    boolean cancelled = b.path("cancelled").asBoolean(false);
    ArrayNode results = b.putArray("results");
    for (JsonNode r : b.get("requests")) {
      ObjectNode out = results.addObject();
      out.put("custom_id", r.get("custom_id").asText());
      int h = Math.floorMod(java.util.Arrays.hashCode(FaultPlan.sha256(r.get("body").toString())), 1 << 20);
      boolean first = r.path("first").asBoolean(false);
      if (cancelled) {
        out.put("type", "canceled");
      } else if (first && expireEvery > 0 && h % expireEvery == 0) {
        out.put("type", "expired");
      } else if (first && failEvery > 0 && h % failEvery == 1 % failEvery) {
        out.put("type", "errored");
      } else {
        try {
          out.put("type", "succeeded");
          out.set("body", MAPPER.readTree(answerer.answer(p, b.path("model").asText(null), r.get("body"))));
        } catch (IOException | RuntimeException e) {
          out.put("type", "errored");
          out.put("message", String.valueOf(e.getMessage()));
        }
      }
    }
    b.put("ended_ms", Math.max(System.currentTimeMillis(), b.get("created_ms").asLong()));
    if ("openai".equals(protocol)) {
      StringBuilder okLines = new StringBuilder();
      StringBuilder errLines = new StringBuilder();
      int i = 0;
      for (JsonNode r : results) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("id", "batch_req_emu" + b.get("id").asText() + "_" + i++);
        line.put("custom_id", r.get("custom_id").asText());
        if ("succeeded".equals(r.get("type").asText())) {
          line.putObject("response").put("status_code", 200).put("request_id", "req_emu" + i).set("body", r.get("body"));
          line.putNull("error");
          okLines.append(line).append('\n');
        } else {
          line.putNull("response");
          String code = switch (r.get("type").asText()) {
            case "expired" -> "batch_expired";
            case "canceled" -> "batch_cancelled";
            default -> "server_error";
          };
          line.putObject("error").put("code", code).put("message", "emulated " + r.get("type").asText());
          errLines.append(line).append('\n');
        }
      }
      if (okLines.length() > 0) {
        String id = "file-emu" + (++next);
        files.put(id, okLines.toString());
        save("file", id, okLines.toString());
        b.put("output_file_id", id);
      }
      if (errLines.length() > 0) {
        String id = "file-emu" + (++next);
        files.put(id, errLines.toString());
        save("file", id, errLines.toString());
        b.put("error_file_id", id);
      }
    }
    save("batch", b.get("id").asText(), b.toString());
  }

  private Out batchReply(String id, boolean cancel, String protocol) {
    ObjectNode b = batches.get(id);
    if (b == null || !protocol.equals(b.get("protocol").asText())) {
      return error(404, "no such batch: " + id);
    }
    if (cancel && !b.has("results")) {
      b.put("cancelled", true);
      save("batch", id, b.toString());
    }
    settle(b);
    return json(switch (protocol) {
      case "openai" -> openAiBatch(b);
      case "anthropic" -> anthropicBatch(b);
      default -> geminiOperation(b);
    });
  }

  private static long seconds(long ms) {
    return ms / 1000;
  }

  private static long now() {
    return seconds(System.currentTimeMillis());
  }

  private static long count(ObjectNode b, String type) {
    long n = 0;
    for (JsonNode r : b.path("results")) {
      n += type.equals(r.get("type").asText()) ? 1 : 0;
    }
    return n;
  }

  private ObjectNode openAiBatch(ObjectNode b) {
    ObjectNode o = MAPPER.createObjectNode();
    long created = seconds(b.get("created_ms").asLong());
    boolean done = b.has("results");
    boolean cancelled = b.path("cancelled").asBoolean(false);
    o.put("id", b.get("id").asText()).put("object", "batch").put("endpoint", "/v1/chat/completions")
        .put("input_file_id", b.path("input_file_id").asText()).put("completion_window", "24h");
    if (b.has("metadata")) {
      o.set("metadata", b.get("metadata"));
    }
    o.put("status", !done ? "in_progress" : cancelled ? "cancelled" : "completed");
    if (b.has("output_file_id")) {
      o.put("output_file_id", b.get("output_file_id").asText());
    }
    if (b.has("error_file_id")) {
      o.put("error_file_id", b.get("error_file_id").asText());
    }
    o.put("created_at", created).put("in_progress_at", created).put("expires_at", created + 24 * 3600);
    if (done) {
      long ended = seconds(b.get("ended_ms").asLong());
      o.put("finalizing_at", ended);
      o.put(cancelled ? "cancelled_at" : "completed_at", ended);
    }
    int total = b.get("requests").size();
    long ok = count(b, "succeeded");
    o.putObject("request_counts").put("total", total).put("completed", ok).put("failed", done ? total - ok : 0);
    return o;
  }

  private ObjectNode anthropicBatch(ObjectNode b) {
    ObjectNode o = MAPPER.createObjectNode();
    long createdMs = b.get("created_ms").asLong();
    boolean done = b.has("results");
    o.put("id", b.get("id").asText()).put("type", "message_batch");
    o.put("processing_status", done ? "ended" : b.path("cancelled").asBoolean(false) ? "canceling" : "in_progress");
    int total = b.get("requests").size();
    o.putObject("request_counts").put("processing", done ? 0 : total).put("succeeded", count(b, "succeeded"))
        .put("errored", count(b, "errored")).put("canceled", count(b, "canceled")).put("expired", count(b, "expired"));
    o.put("created_at", Instant.ofEpochMilli(createdMs).toString());
    o.put("expires_at", Instant.ofEpochMilli(createdMs).plus(Duration.ofHours(24)).toString());
    if (done) {
      o.put("ended_at", Instant.ofEpochMilli(b.get("ended_ms").asLong()).toString());
    } else {
      o.putNull("ended_at");
    }
    o.putNull("archived_at");
    if (b.path("cancelled").asBoolean(false)) {
      o.put("cancel_initiated_at", Instant.ofEpochMilli(b.path("ended_ms").asLong(createdMs)).toString());
    } else {
      o.putNull("cancel_initiated_at");
    }
    o.putNull("results_url"); // the client reads /results under the same base (set by the caller when ended)
    return o;
  }

  private Out anthropicResults(String id) {
    ObjectNode b = batches.get(id);
    if (b == null || !"anthropic".equals(b.get("protocol").asText())) {
      return error(404, "no such batch: " + id);
    }
    settle(b);
    if (!b.has("results")) {
      return error(400, "batch " + id + " has not ended");
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode r : b.get("results")) {
      ObjectNode line = MAPPER.createObjectNode();
      line.put("custom_id", r.get("custom_id").asText());
      ObjectNode result = line.putObject("result");
      String type = r.get("type").asText();
      result.put("type", type);
      if ("succeeded".equals(type)) {
        result.set("message", fullMessage((ObjectNode) r.get("body")));
      } else if ("errored".equals(type)) {
        ObjectNode e = result.putObject("error");
        e.put("type", "error");
        e.putObject("error").put("type", "api_error").put("message", "emulated batch error");
        e.putNull("request_id");
      }
      out.append(line).append('\n');
    }
    return new Out(200, "application/binary", out.toString());
  }

  /**
   * The Messages reply as the batch results carry it: the 2026-08 spec requires the nullable fields
   * the live reply leaves out (stop_details, container, the usage breakdown, text citations).
   */
  private static ObjectNode fullMessage(ObjectNode m) {
    ObjectNode o = m.deepCopy();
    o.putNull("stop_details");
    o.putNull("container");
    for (JsonNode block : o.path("content")) {
      if ("text".equals(block.path("type").asText())) {
        ((ObjectNode) block).putNull("citations");
      }
    }
    ObjectNode u = (ObjectNode) o.path("usage");
    u.putNull("cache_creation");
    u.put("cache_creation_input_tokens", 0);
    u.put("cache_read_input_tokens", 0);
    u.putNull("inference_geo");
    u.putNull("output_tokens_details");
    u.putNull("server_tool_use");
    u.put("service_tier", "batch");
    return o;
  }

  private ObjectNode geminiOperation(ObjectNode b) {
    ObjectNode o = MAPPER.createObjectNode();
    boolean done = b.has("results");
    String id = b.get("id").asText();
    o.put("name", id);
    ObjectNode meta = o.putObject("metadata");
    meta.put("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch");
    meta.put("name", id).put("model", "models/" + b.path("model").asText())
        .put("displayName", b.path("display_name").asText(""));
    meta.put("createTime", Instant.ofEpochMilli(b.get("created_ms").asLong()).toString());
    boolean cancelled = b.path("cancelled").asBoolean(false);
    meta.put("state", !done ? "BATCH_STATE_RUNNING" : cancelled ? "BATCH_STATE_CANCELLED" : "BATCH_STATE_SUCCEEDED");
    int total = b.get("requests").size();
    long ok = count(b, "succeeded");
    // BatchStats counts are int64: JSON strings.
    meta.putObject("batchStats").put("requestCount", Integer.toString(total))
        .put("successfulRequestCount", Long.toString(ok))
        .put("failedRequestCount", Long.toString(done ? total - ok : 0))
        .put("pendingRequestCount", Long.toString(done ? 0 : total));
    o.put("done", done);
    if (done) {
      meta.put("endTime", Instant.ofEpochMilli(b.get("ended_ms").asLong()).toString());
      ObjectNode inlined = MAPPER.createObjectNode();
      ArrayNode list = inlined.putArray("inlinedResponses");
      int i = 0;
      for (JsonNode r : b.get("results")) {
        ObjectNode one = list.addObject();
        JsonNode md = b.get("requests").get(i++).get("metadata");
        if ("succeeded".equals(r.get("type").asText())) {
          one.set("response", r.get("body"));
        } else {
          one.putObject("error").put("code", "canceled".equals(r.get("type").asText()) ? 1 : 13)
              .put("message", "emulated " + r.get("type").asText());
        }
        if (md != null) {
          one.set("metadata", md);
        }
      }
      meta.putObject("output").set("inlinedResponses", inlined);
      ObjectNode response = o.putObject("response");
      response.put("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.BatchGenerateContentResponse");
      response.set("inlinedResponses", inlined.deepCopy());
    }
    return o;
  }

  private static Out json(JsonNode o) {
    return new Out(200, "application/json", o.toString());
  }

  private static Out error(int status, String message) {
    ObjectNode o = MAPPER.createObjectNode();
    o.putObject("error").put("code", status).put("message", message);
    return new Out(status, "application/json", o.toString());
  }

  // ---- persistence ----

  private void save(String kind, String id, String text) {
    if (stateDir == null) {
      return;
    }
    try {
      Files.createDirectories(stateDir);
      String name = kind + "-" + id.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json";
      Path tmp = stateDir.resolve("." + name + ".tmp");
      ObjectNode o = MAPPER.createObjectNode().put("kind", kind).put("id", id).put("text", text);
      Files.writeString(tmp, o.toString());
      Files.move(tmp, stateDir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void load() {
    if (!Files.isDirectory(stateDir)) {
      return;
    }
    try (Stream<Path> list = Files.list(stateDir)) {
      for (Path p : list.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || !name.endsWith(".json")) {
          continue;
        }
        JsonNode o = MAPPER.readTree(Files.readString(p));
        String id = o.get("id").asText();
        if ("file".equals(o.get("kind").asText())) {
          files.put(id, o.get("text").asText());
        } else {
          ObjectNode b = (ObjectNode) MAPPER.readTree(o.get("text").asText());
          batches.put(id, b);
          for (JsonNode r : b.get("requests")) {
            count(b.get("protocol").asText(), b.path("model").asText(null), r.get("body"));
          }
        }
        Matcher n = Pattern.compile("emu(\\d+)").matcher(id);
        while (n.find()) {
          next = Math.max(next, Long.parseLong(n.group(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("emulator batch state " + stateDir + ": " + e.getMessage(), e);
    }
  }
}
