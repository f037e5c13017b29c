package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The batch requests the clients build and the batch replies the emulator sends, validated against
 * the providers' batch specifications (../shared/provider-specs: openai-batch.inline.json,
 * openai-batch-lines.json, anthropic-batches.inline.json, gemini-batch.inline.json) with networknt's
 * validator, as their README's recipe says. The emulator answers some requests errored, expired or
 * canceled on purpose, so those result shapes are checked too.
 */
class BatchSpecConformanceTest {
  static final Path SPECS = SpecConformanceTest.SPECS;
  static final ObjectMapper JSON = new ObjectMapper();
  static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();

  /** A schema of an OpenAPI file: the node at {@code pointer}, with the file's components beside it. */
  static JsonSchema openApi(String file, String pointer, SpecVersion.VersionFlag v) throws IOException {
    JsonNode spec = JSON.readTree(SPECS.resolve(file).toFile());
    JsonNode schema = spec.at(pointer);
    assertFalse(schema.isMissingNode(), file + " has " + pointer);
    ObjectNode s = schema.deepCopy();
    s.set("components", spec.get("components"));
    return JsonSchemaFactory.getInstance(v).getSchema(s, CONFIG);
  }

  /** A schema of the Gemini discovery document, with its schemas beside it (refs are #/schemas/X). */
  static JsonSchema discovery(String pointer) throws IOException {
    JsonNode spec = JSON.readTree(SPECS.resolve("gemini-batch.inline.json").toFile());
    JsonNode schema = spec.at(pointer);
    assertFalse(schema.isMissingNode(), "gemini-batch.inline.json has " + pointer);
    ObjectNode s = schema.deepCopy();
    s.set("schemas", spec.get("schemas"));
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(s, CONFIG);
  }

  static void valid(JsonSchema schema, JsonNode body, String what) {
    Set<ValidationMessage> errors = schema.validate(body);
    assertTrue(errors.isEmpty(), what + " does not conform: " + errors + "\n" + body);
  }

  static void invalid(JsonSchema schema, JsonNode body, String what) {
    assertFalse(schema.validate(body).isEmpty(), what + " should not conform: " + body);
  }

  static ModelSpec model(String provider, String base, Integer thinking) {
    return new ModelSpec("m-" + provider, provider, provider + "-model", "f", base, null, null, 256, 0.0, 7L,
        null, 1.0, 2.0, null, null, thinking, null, null, null, null, null, null, true, null);
  }

  /** Texts past the data we know: markup characters, quotes, Cyrillic and Mongolian script. */
  static List<ChatRequest> requests() {
    List<ChatRequest> out = new ArrayList<>();
    String[] users = {"Қазақстанның астанасы қай қала?", "a < b & \"c\" 'd' </script>", "Монгол улсын нийслэл?",
        "x".repeat(5000)};
    int i = 0;
    for (String u : users) {
      for (String system : new String[] {null, "Answer briefly."}) {
        out.add(new ChatRequest(system, u + " #" + i++, 256, i % 2 == 0 ? null : 0.5, i % 3 == 0 ? null : 11L));
      }
    }
    return out;
  }

  static String get(HttpClient http, String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    headers.forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  /** Submits the requests through the batch client and returns the batch id and its custom ids. */
  static String submit(BatchWire.Target t, List<ChatRequest> requests, List<ObjectNode> items) throws IOException {
    BatchWire wire = BatchWire.of(t.protocol());
    int i = 0;
    for (ChatRequest r : requests) {
      items.add(wire.item(t, new BatchWire.Item(ResponseCache.key(model(t.protocol(), t.base(), null),
          r.system(), r.user(), i++), r)));
    }
    try (BatchWire.Http http = new BatchWire.Http()) {
      return wire.submit(http, t, items);
    }
  }

  @Test
  void openAiBatchFilesRequestsAndRepliesConform() throws Exception {
    try (ModelEmulator emu = ModelEmulator.builder().batchFailures(3, 4).start()) {
      BatchWire.Target t = ModelClients.batchTarget(model("openai", emu.openAiBaseUrl(), null), k -> null);
      List<ObjectNode> items = new ArrayList<>();
      String id = submit(t, requests(), items);
      JsonSchema line = openApi("openai-batch-lines.json", "/components/schemas/BatchRequestInput",
          SpecVersion.VersionFlag.V4);
      JsonSchema chat = SpecConformanceTest.load("openai-chat.inline.json", SpecVersion.VersionFlag.V202012).request();
      for (ObjectNode i : items) {
        valid(line, i, "input line");
        valid(chat, i.get("body"), "input line body");
        assertTrue(i.get("custom_id").asText().matches("[a-f0-9]{64}"));
      }
      invalid(line, JSON.readTree("{\"custom_id\": 5, \"method\": \"GET\", \"url\": \"/v1/chat/completions\"}"),
          "a numeric custom_id and GET");
      JsonNode create = emu.recorded().stream().filter(r -> r.path().equals("/v1/batches")).findFirst()
          .map(r -> readJson(r.body())).orElseThrow();
      valid(openApi("openai-batch.inline.json",
          "/paths/~1batches/post/requestBody/content/application~1json/schema", SpecVersion.VersionFlag.V202012),
          create, "POST /batches body");
      String upload = emu.recorded().stream().filter(r -> r.path().equals("/v1/files")).findFirst().orElseThrow()
          .headers().get("content-type");
      assertTrue(upload.startsWith("multipart/form-data"), upload);

      HttpClient http = HttpClient.newHttpClient();
      JsonSchema batch = openApi("openai-batch.inline.json",
          "/paths/~1batches~1{batch_id}/get/responses/200/content/application~1json/schema",
          SpecVersion.VersionFlag.V202012);
      JsonNode b = JSON.readTree(get(http, emu.openAiBaseUrl() + "/batches/" + id, Map.of()));
      valid(batch, b, "GET /batches/{id}");
      assertEquals("completed", b.get("status").asText());
      JsonSchema out = openApi("openai-batch-lines.json", "/components/schemas/BatchRequestOutput",
          SpecVersion.VersionFlag.V4);
      int lines = 0;
      int errors = 0;
      for (String field : List.of("output_file_id", "error_file_id")) {
        if (!b.hasNonNull(field)) {
          continue;
        }
        for (String l : get(http, emu.openAiBaseUrl() + "/files/" + b.get(field).asText() + "/content", Map.of())
            .split("\n")) {
          JsonNode n = JSON.readTree(l);
          valid(out, n, field + " line");
          if (n.path("response").isObject()) {
            valid(SpecConformanceTest.load("openai-chat.inline.json", SpecVersion.VersionFlag.V202012).reply(),
                n.at("/response/body"), "output line body");
          } else {
            errors++;
          }
          lines++;
        }
      }
      assertEquals(items.size(), lines, "every request has a line in the output or error file");
      assertTrue(errors > 0 && errors < lines, "some requests failed on purpose, not all: " + errors);
      // The client reads the same files: every request comes back, failed ones with their kind.
      try (BatchWire.Http h = new BatchWire.Http()) {
        BatchWire.Status s = BatchWire.of("openai").poll(h, t, id);
        assertTrue(s.ended());
        assertEquals(items.size(), s.results().size());
        assertEquals(errors, s.results().stream().filter(r -> !r.ok()).count());
        assertTrue(s.results().stream().filter(r -> !r.ok())
            .allMatch(r -> r.failureKind().equals(BatchWire.ERRORED) || r.failureKind().equals(BatchWire.EXPIRED)));
      }
    }
  }

  @Test
  void anthropicMessageBatchesRequestsAndRepliesConform() throws Exception {
    try (ModelEmulator emu = ModelEmulator.builder().batchFailures(3, 4).start()) {
      for (Integer thinking : new Integer[] {null, 1024}) {
        ModelSpec m = model("anthropic", emu.baseUrl(), thinking);
        if (thinking != null) {
          m = new ModelSpec(m.name(), m.provider(), m.modelId(), m.family(), m.baseUrl(), null, null, 2048, null, null,
              null, 1.0, 2.0, null, null, thinking, null, null, null, null, null, null, true, null);
        }
        BatchWire.Target t = ModelClients.batchTarget(m, k -> null);
        List<ObjectNode> items = new ArrayList<>();
        String id = submit(t, requests().stream().map(r -> new ChatRequest(r.system(), r.user(),
            r.maxTokens() * 8, null, null)).toList(), items);
        JsonNode create = JSON.createObjectNode().set("requests", JSON.valueToTree(items));
        JsonSchema request = openApi("anthropic-batches.inline.json",
            "/paths/~1v1~1messages~1batches/post/requestBody/content/application~1json/schema",
            SpecVersion.VersionFlag.V202012);
        valid(request, create, "POST /v1/messages/batches body");
        ObjectNode bad = create.deepCopy();
        ((ObjectNode) bad.get("requests").get(0)).put("custom_id", "has spaces in it");
        invalid(request, bad, "a custom_id with spaces");

        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> h = Map.of("anthropic-version", "2023-06-01");
        JsonNode b = JSON.readTree(get(http, emu.baseUrl() + "/v1/messages/batches/" + id, h));
        valid(openApi("anthropic-batches.inline.json",
            "/paths/~1v1~1messages~1batches~1{message_batch_id}/get/responses/200/content/application~1json/schema",
            SpecVersion.VersionFlag.V202012), b, "GET message batch");
        assertEquals("ended", b.get("processing_status").asText());
        JsonSchema line = openApi("anthropic-batches.inline.json",
            "/paths/~1v1~1messages~1batches~1{message_batch_id}~1results/get/responses/200/content/application~1x-jsonl/schema",
            SpecVersion.VersionFlag.V202012);
        int n = 0;
        Set<String> types = new java.util.TreeSet<>();
        for (String l : get(http, emu.baseUrl() + "/v1/messages/batches/" + id + "/results", h).split("\n")) {
          JsonNode r = JSON.readTree(l);
          valid(line, r, "results line");
          types.add(r.at("/result/type").asText());
          n++;
        }
        assertEquals(items.size(), n);
        assertTrue(types.contains("succeeded") && types.size() > 1, "successes and failures: " + types);
      }
    }
  }

  @Test
  void geminiBatchGenerateContentRequestsAndOperationsConform() throws Exception {
    try (ModelEmulator emu = ModelEmulator.builder().batchFailures(3, 0).start()) {
      for (Integer thinking : new Integer[] {null, 0, 128}) {
        BatchWire.Target t = ModelClients.batchTarget(model("gemini", emu.baseUrl(), thinking), k -> null);
        List<ObjectNode> items = new ArrayList<>();
        String id = submit(t, requests(), items);
        JsonNode create = emu.recorded().stream().filter(r -> r.path().endsWith(":batchGenerateContent"))
            .reduce((a, b) -> b).map(r -> readJson(r.body())).orElseThrow();
        JsonSchema request = discovery("/resources/models/methods/batchGenerateContent/request");
        valid(request, create, "batchGenerateContent body");
        ObjectNode bad = create.deepCopy();
        ((ObjectNode) bad.at("/batch/inputConfig/requests/requests/0/request/generationConfig"))
            .put("maxOutputTokens", "many");
        invalid(request, bad, "maxOutputTokens as a string");

        HttpClient http = HttpClient.newHttpClient();
        JsonNode op = JSON.readTree(get(http, emu.baseUrl() + "/v1beta/" + id, Map.of()));
        valid(discovery("/resources/batches/methods/get/response"), op, "batches.get");
        JsonSchema batch = discovery("/schemas/GenerateContentBatch");
        ObjectNode meta = op.get("metadata").deepCopy();
        meta.remove("@type"); // the Any's type tag, not a field of the message
        valid(batch, meta, "Operation metadata as GenerateContentBatch");
        ObjectNode wrong = meta.deepCopy().put("state", "JOB_STATE_RUNNING");
        invalid(batch, wrong, "the SDKs' JOB_STATE_ name");
        JsonNode inlined = op.at("/metadata/output/inlinedResponses/inlinedResponses");
        assertEquals(items.size(), inlined.size());
        JsonSchema response = discovery("/schemas/InlinedResponse");
        for (JsonNode r : inlined) {
          valid(response, r, "inlined response");
        }
      }
    }
  }

  private static JsonNode readJson(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
