package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.manifest.RunManifest;
import dev.cltbench.study.PipelineDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest of a quickstart run names every parameter the models were sent: checked against what
 * the emulator (on loopback, started here) recorded receiving, request by request. It holds no key.
 */
class ManifestTest {
  @TempDir Path tmp;

  @Test
  void manifestNamesEveryParameterSentAndNoKey() throws Exception {
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    ObjectMapper json = new ObjectMapper();
    // A value that exists in every environment stands in for a key: the openai model sends it.
    String key = System.getenv("PATH");
    assertTrue(key != null && key.length() > 8);
    try (ModelEmulator emulator = ModelEmulator.builder().responder(new SyntheticResponder(def)).start()) {
      ObjectNode root = (ObjectNode) json.readTree(Path.of("pipelines/quickstart.json").toFile());
      Map<String, double[]> params = Map.of("emu-openai", new double[] {0.3, 7}, "emu-anthropic", new double[] {0, -1},
          "emu-gemini", new double[] {0.5, 11}, "emu-cohere", new double[] {0.2, 5});
      for (JsonNode m : root.get("models")) {
        ObjectNode o = (ObjectNode) m;
        o.put("base_url", emulator.baseUrl());
        double[] p = params.get(o.get("name").asText());
        o.put("temperature", p[0]);
        if (p[1] >= 0) {
          o.put("seed", (long) p[1]);
        }
        if (o.get("name").asText().equals("emu-openai")) {
          o.put("api_key_env", "PATH");
        }
      }
      for (JsonNode j : root.get("judges")) {
        ((ObjectNode) j).put("base_url", emulator.baseUrl());
      }
      root.put("benchmark", Path.of("benchmark/quickstart.json").toAbsolutePath().toString());
      Path pipeline = tmp.resolve("quickstart-on-loopback.json");
      Files.writeString(pipeline, json.writeValueAsString(root));
      Path out = tmp.resolve("out");
      CliRun r = CliRun.of("run", "--pipeline=" + pipeline, "--output=" + out, "--cache=" + tmp.resolve("cache"),
          "--progressSeconds=0", "--languageId=false", "--limit=3", "--epochs=2");
      assertEquals(0, r.exit(), r::toString);

      String text = Files.readString(out.resolve("manifest.json"), StandardCharsets.UTF_8);
      assertFalse(text.contains(key), "the key is not in the manifest");
      JsonNode manifest = json.readTree(text);
      // Each request the emulator received: its parameters (body without the prompt) are the
      // manifest's for that model, for its epoch.
      List<String> unmatched = new ArrayList<>();
      Set<String> seenModels = new HashSet<>();
      boolean keySent = false;
      for (ModelEmulator.RecordedRequest req : emulator.recorded()) {
        JsonNode body = json.readTree(req.body());
        JsonNode entry = null;
        for (JsonNode m : manifest.get("models")) {
          String url = m.path("request").path("url").asText();
          if (url.endsWith(req.path()) && (!body.has("model")
              || body.get("model").asText().equals(m.path("request").path("body").path("model").asText()))) {
            entry = m;
          }
        }
        if (entry == null) {
          unmatched.add(req.path() + " " + body.path("model"));
          continue;
        }
        seenModels.add(entry.get("name").asText());
        ObjectNode sent = body.deepCopy();
        entry.path("request").path("prompt_fields").forEach(f -> sent.remove(f.asText()));
        List<JsonNode> declared = new ArrayList<>(List.of(entry.path("request").path("body")));
        entry.path("epoch_requests").forEach(declared::add);
        assertTrue(declared.contains(sent), "sent " + sent + " to " + entry.get("name") + "; manifest: " + declared);
        entry.path("request").path("headers").fields().forEachRemaining(h -> assertEquals(h.getValue().asText(),
            header(req, h.getKey()), h.getKey()));
        keySent |= ("Bearer " + key).equals(header(req, "authorization"));
      }
      assertEquals(List.of(), unmatched);
      assertEquals(Set.of("emu-openai", "emu-anthropic", "emu-gemini", "emu-cohere", "emu-judge-a", "emu-judge-b"),
          seenModels);
      assertTrue(keySent, "the key was really sent, so its absence from the manifest means something");
      // Both epochs' seeds were sent and are listed.
      assertEquals(7, manifest.at("/models/0/request/body/seed").asInt());
      assertEquals(8, manifest.at("/models/0/epoch_requests/0/seed").asInt());
      assertEquals("2023-06-01", manifest.at("/models/1/request/headers/anthropic-version").asText());

      assertEquals(RunManifest.sha256(Files.readAllBytes(pipeline)), manifest.at("/pipeline/sha256").asText());
      assertEquals(Files.readString(pipeline), manifest.at("/pipeline/text").asText());
      assertEquals(RunManifest.sha256(Files.readAllBytes(Path.of("benchmark/quickstart.json"))),
          manifest.at("/benchmark/sha256").asText());
      int tuples = def.conditions().size() * def.models().size() * 3 * 2;
      assertEquals(tuples + " in = " + tuples + " graded + 0 failed", manifest.at("/run/counts/line").asText());
      assertTrue(manifest.at("/tool/commit").asText().matches("[0-9a-f]{40}(-dirty)?|unknown"));
      assertTrue(manifest.at("/prompts/judge_system").asText().contains("accuracy"));
      assertEquals(def.conditions().size(), manifest.at("/prompts/condition_system_prompts").size());
      assertTrue(manifest.at("/language_identification/model").asText().startsWith("opennlp-models-langdetect"));
      String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
      assertTrue(html.contains("Manifest (manifest.json)") && html.contains("temperature=0.3"), "summarised at the top");

      // A report on the run's output carries the run's manifest inside its own.
      Path report = tmp.resolve("report");
      // The run covered the first 3 questions: so does its report (else the study reads as incomplete).
      CliRun rep = CliRun.of("report", "--pipeline=" + pipeline, "--study=" + out, "--output=" + report,
          "--languageId=false", "--limit=3");
      assertEquals(0, rep.exit(), rep::toString);
      JsonNode again = json.readTree(report.resolve("manifest.json").toFile());
      assertEquals("report", again.at("/tool/command").asText());
      assertEquals(manifest, again.get("study_manifest"));
    }
  }

  static String header(ModelEmulator.RecordedRequest r, String name) {
    for (Map.Entry<String, String> e : r.headers().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
