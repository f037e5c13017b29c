package dev.cltbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator's batches over time: in progress until their delay has passed, ended after; kept in
 * the state directory across a restart (a new emulator on the same directory answers for them, on
 * its own clock); cancelled ones end with every request canceled.
 */
class BatchEmulatorTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static JsonNode call(HttpClient http, String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json");
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    // JSONL results as text; everything else is one JSON object.
    return url.endsWith("/results") || r.body().isEmpty() ? JSON.getNodeFactory().textNode(r.body())
        : JSON.readTree(r.body());
  }

  static String batch(String... users) {
    StringBuilder b = new StringBuilder("{\"requests\": [");
    for (int i = 0; i < users.length; i++) {
      b.append(i == 0 ? "" : ",").append("{\"custom_id\": \"r").append(i).append("\", \"params\": {\"model\": \"m\", ")
          .append("\"max_tokens\": 64, \"messages\": [{\"role\": \"user\", \"content\": \"").append(users[i])
          .append("\"}]}}");
    }
    return b.append("]}").toString();
  }

  @Test
  void aBatchSurvivesARestartAndEndsOnTheWallClock() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Path state = tmp.resolve("state");
    String id;
    try (ModelEmulator first = ModelEmulator.builder().batchStateDir(state).batchDelay(Duration.ofSeconds(2)).start()) {
      JsonNode created = call(http, "POST", first.baseUrl() + "/v1/messages/batches", batch("one", "two < & \\\"three\\\""));
      id = created.get("id").asText();
      assertEquals("in_progress", created.get("processing_status").asText());
      assertEquals(2, created.at("/request_counts/processing").asInt());
    }
    try (ModelEmulator second = ModelEmulator.builder().batchStateDir(state).batchDelay(Duration.ofSeconds(2)).start()) {
      assertEquals(2, second.batchRequestsReceived().size(), "the restarted emulator knows what it was sent");
      String url = second.baseUrl() + "/v1/messages/batches/" + id;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      JsonNode b = call(http, "GET", url, null);
      while (!"ended".equals(b.get("processing_status").asText()) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        b = call(http, "GET", url, null);
      }
      assertEquals("ended", b.get("processing_status").asText());
      assertEquals(2, b.at("/request_counts/succeeded").asInt());
      String results = call(http, "GET", url + "/results", null).asText();
      assertEquals(2, results.strip().split("\n").length, results);
      assertTrue(results.contains("\"custom_id\":\"r1\"") && results.contains("\"type\":\"succeeded\""), results);
      // A new batch after the restart gets a new id.
      JsonNode again = call(http, "POST", second.baseUrl() + "/v1/messages/batches", batch("four"));
      assertTrue(!again.get("id").asText().equals(id));
    }
  }

  @Test
  void aCancelledBatchEndsWithEveryRequestCanceled() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (ModelEmulator emu = ModelEmulator.builder().batchDelay(Duration.ofHours(1)).start()) {
      String id = call(http, "POST", emu.baseUrl() + "/v1/messages/batches", batch("a", "b", "c")).get("id").asText();
      assertEquals("in_progress", call(http, "GET", emu.baseUrl() + "/v1/messages/batches/" + id, null)
          .get("processing_status").asText());
      JsonNode cancelled = call(http, "POST", emu.baseUrl() + "/v1/messages/batches/" + id + "/cancel", null);
      assertEquals("ended", cancelled.get("processing_status").asText());
      assertEquals(3, cancelled.at("/request_counts/canceled").asInt());
      // Gemini's Operation of a cancelled batch says so; cancel itself returns Empty.
      String gemini = "{\"batch\": {\"displayName\": \"t\", \"inputConfig\": {\"requests\": {\"requests\": ["
          + "{\"request\": {\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}]}, "
          + "\"metadata\": {\"key\": \"k1\"}}]}}}}";
      JsonNode op = call(http, "POST", emu.baseUrl() + "/v1beta/models/g:batchGenerateContent", gemini);
      assertEquals(false, op.get("done").asBoolean());
      JsonNode empty = call(http, "POST", emu.baseUrl() + "/v1beta/" + op.get("name").asText() + ":cancel", "{}");
      assertEquals(0, empty.size());
      JsonNode after = call(http, "GET", emu.baseUrl() + "/v1beta/" + op.get("name").asText(), null);
      assertEquals("BATCH_STATE_CANCELLED", after.at("/metadata/state").asText());
      assertEquals("k1", after.at("/metadata/output/inlinedResponses/inlinedResponses/0/metadata/key").asText());
    }
  }
}
