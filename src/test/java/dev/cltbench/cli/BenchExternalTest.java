package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --benchCase=external} on two questions: the server it starts is asked exactly the
 * answers and judgments of the published C1, C2 and C4, and the figures it prints are computed from
 * that count (no timing is asserted: the figures are the benchmark's, on whatever machine).
 */
class BenchExternalTest {
  @TempDir Path tmp;

  @Test
  void theExternalCaseAsksItsOwnServerEveryAnswerAndJudgmentOnce() throws Exception {
    Path out = tmp.resolve("bench");
    CliRun r = CliRun.of("bench", "--benchCase=external", "--limit=2", "--output=" + out, "--progressSeconds=0",
        "--languageId=false");
    assertEquals(0, r.exit(), r.toString());
    // 8 models x 3 conditions x 2 questions, each an answer and one judgment.
    int tuples = 8 * 3 * 2;
    assertTrue(r.out().contains("bench external: " + (2 * tuples) + " requests"), r.out());
    Matcher bound = Pattern.compile("bound = requests x latency / concurrency: +([0-9.]+) s").matcher(r.out());
    assertTrue(bound.find(), r.out());
    assertEquals(2 * tuples * 0.1 / 16, Double.parseDouble(bound.group(1)), 0.05);
    assertTrue(r.out().contains("tuples: " + tuples + " = " + tuples + " graded + 0 failed"), r.out());
    assertTrue(r.out().contains("(target <= 1.10x)") && r.out().contains("(target <= 1.5x)"), r.out());
    Path written = Path.of(out + "-external");
    for (String c : new String[] {"C1", "C2", "C4"}) {
      try (var files = Files.list(written.resolve("results"))) {
        assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith(c)), c + " in " + written);
      }
    }
    assertTrue(Files.isRegularFile(written.resolve("report.html")));
    // Every answer came from the benchmark's server, not the emulator: its reply names the model asked.
    var results = new ObjectMapper().readTree(Files.list(written.resolve("results")).findFirst().orElseThrow()
        .resolve("gpt_5.2.json").toFile());
    assertTrue(results.get("responses").get(0).get("response").asText().startsWith("Answer of gpt-5.2 to request"),
        results.toString());
  }
}
