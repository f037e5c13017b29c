package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.emulator.ModelEmulator;
import dev.cltbench.emulator.Responder;
import dev.cltbench.emulator.SyntheticResponder;
import dev.cltbench.study.PipelineDefinition;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed (SIGKILL) in the middle and started again: it finishes with every tuple graded, and
 * the models answer no request twice but the few that were in flight when the process died (answered,
 * but killed before the cache entry was written). The emulator runs in this JVM and outlives the run.
 */
class KillAndResumeTest {
  @TempDir Path tmp;

  @Test
  void aKilledRunStartedAgainRepeatsNoFinishedCall() throws Exception {
    PipelineDefinition quickstart = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    SyntheticResponder synthetic = new SyntheticResponder(quickstart);
    Responder counting = r -> {
      Responder.Reply reply = synthetic.respond(r);
      answered.computeIfAbsent(r.modelId() + "\u0000" + r.system() + "\u0000" + r.user(),
          k -> new AtomicInteger()).incrementAndGet();
      return reply;
    };
    try (ModelEmulator emulator = ModelEmulator.builder().responder(counting)
        .latency(Duration.ofMillis(60)).start()) {
      // The quickstart, pointed at this emulator's address like a local model server.
      Path pipeline = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"), root -> {
        root.remove("emulator");
        for (String list : List.of("models", "judges")) {
          for (JsonNode m : root.get(list)) {
            ((ObjectNode) m).put("base_url", m.get("provider").asText().equals("openai")
                ? emulator.openAiBaseUrl() : emulator.baseUrl());
          }
        }
      });
      Path questions = StudyFiles.firstQuestions(Path.of("benchmark/quickstart.json"), tmp.resolve("q.json"), 6);
      int tuples = 7 * 4 * 6;
      Path output = tmp.resolve("out");
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.cltbench.cli.Main", "run",
          "--pipeline=" + pipeline, "--benchmark=" + questions, "--output=" + output,
          "--cache=" + tmp.resolve("cache"), "--progressSeconds=0");

      Process first = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(tmp.resolve("first.log").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (total(answered) < 200 && first.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(first.isAlive(), "the run must still be going when it is killed: "
          + Files.readString(tmp.resolve("first.log")));
      first.destroyForcibly().waitFor();
      int beforeKill = total(answered);
      assertFalse(Files.exists(output), "a killed run leaves no output");

      Process second = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(tmp.resolve("second.log").toFile()).start();
      assertTrue(second.waitFor(300, TimeUnit.SECONDS));
      String log = Files.readString(tmp.resolve("second.log"), StandardCharsets.UTF_8);
      assertEquals(0, second.exitValue(), log);
      assertTrue(log.contains("tuples: " + tuples + " in = " + tuples + " graded + 0 failed"), log);
      var cached = java.util.regex.Pattern.compile("model calls: (\\d+) made, (\\d+) from cache").matcher(log);
      assertTrue(cached.find(), log);
      assertTrue(Long.parseLong(cached.group(2)) >= beforeKill / 2,
          "the restarted run took the killed run's answers from the cache: " + log);

      int repeated = 0;
      for (AtomicInteger n : answered.values()) {
        repeated += n.get() - 1;
      }

      // Only calls in flight at the kill may repeat: at most 4 endpoints x concurrency 8.
      assertTrue(repeated <= 32, repeated + " requests answered twice; answered before the kill: " + beforeKill);
      assertFalse(new File(output.getParent().toFile(), "." + output.getFileName() + ".staging").exists());
    }
  }

  private static int total(Map<String, AtomicInteger> answered) {
    int n = 0;
    for (AtomicInteger a : answered.values()) {
      n += a.get();
    }
    return n;
  }
}
