package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.StudyData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on a subset of the fixture study, its models replayed by the emulator on loopback:
 * one model, one condition, the first three questions; then each answered twice (epochs).
 */
class RunSubsetTest {
  @TempDir Path tmp;

  CliRun run(String out, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--pipeline=" + StudyData.fixturePipeline(),
        "--replay=" + StudyData.fixture(), "--latencyScale=0", "--cache=" + tmp.resolve("cache-" + out),
        "--output=" + tmp.resolve(out), "--progressSeconds=0", "--languageId=false",
        "--models=argali_multi", "--conditions=C1", "--limit=3"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void oneModelOneConditionThreeQuestionsMakesThreeAnswerCalls() throws Exception {
    CliRun r = run("subset");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("tuples: 3 in = 3 graded + 0 failed"), r::toString);
    // 3 answers and their 3 judgments, nothing else.
    assertTrue(r.out().contains("model calls: 6 made, 0 from cache"), r::toString);
    Path out = tmp.resolve("subset");
    assertEquals(List.of("argali_multi,answer,3", "owl_judge,judge:owl_judge,3"), calls(out));
    JsonNode results = new ObjectMapper().readTree(out.resolve("results/C1_english/argali_multi.json").toFile());
    List<Integer> ids = new ArrayList<>();
    results.get("responses").forEach(x -> ids.add(x.get("question_id").asInt()));
    assertEquals(List.of(1, 2, 3), ids);
    assertEquals(1 + 3, Files.readAllLines(out.resolve("grades/C1_english.csv")).size());
    try (var files = Files.list(out.resolve("results"))) {
      assertEquals(1, files.count(), "only the selected condition's results");
    }
    assertTrue(Files.readString(out.resolve("report.html")).contains("A SUBSET"));
  }

  @Test
  void twoEpochsMakeSixAnswerCallsAndKeepEveryEpoch() throws Exception {
    CliRun r = run("epochs", "--epochs=2");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("tuples: 6 in = 6 graded + 0 failed"), r::toString);
    Path out = tmp.resolve("epochs");
    List<String> calls = calls(out);
    assertEquals("argali_multi,answer,6", calls.get(0), calls.toString());
    JsonNode results = new ObjectMapper().readTree(out.resolve("results/C1_english/argali_multi.json").toFile());
    List<String> keys = new ArrayList<>();
    results.get("responses").forEach(x -> keys.add(x.get("question_id").asInt() + "/" + x.get("epoch").asInt()));
    assertEquals(List.of("1/0", "1/1", "2/0", "2/1", "3/0", "3/1"), keys);
    List<String> grades = Files.readAllLines(out.resolve("grades/C1_english.csv"));
    assertEquals(1 + 6, grades.size());
    assertTrue(grades.get(0).endsWith(",epoch"), grades.get(0));
    // The tables count tuples (units), not answers; epochs.csv counts both.
    List<String> models = Files.readAllLines(out.resolve("tables/models.csv"));
    assertTrue(models.get(1).startsWith("argali_multi,C1,3,"), models.toString());
    List<String> epochs = Files.readAllLines(out.resolve("tables/epochs.csv"));
    assertEquals("model,condition,tuples,answers,mean_within_tuple_sd_pct,tuples_differing_pct,max_range_pct",
        epochs.get(0));
    assertTrue(epochs.get(1).startsWith("argali_multi,C1,3,6,"), epochs.toString());

    // The same run again: every epoch's answer comes from the cache.
    CliRun again = CliRun.of("run", "--pipeline=" + StudyData.fixturePipeline(),
        "--replay=" + StudyData.fixture(), "--latencyScale=0", "--cache=" + tmp.resolve("cache-epochs"),
        "--output=" + tmp.resolve("epochs-again"), "--progressSeconds=0", "--languageId=false",
        "--models=argali_multi", "--conditions=C1", "--limit=3", "--epochs=2");
    assertEquals(0, again.exit(), again::toString);
    assertTrue(again.out().contains("model calls: 0 made"), again::toString);
  }

  /** model,stage,calls from tables/costs.csv, answers first. */
  static List<String> calls(Path out) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("tables/costs.csv")).subList(1, 3)) {
      String[] c = line.split(",");
      rows.add(c[0] + "," + c[1] + "," + c[2]);
    }
    rows.sort((a, b) -> a.contains(",answer,") ? -1 : b.contains(",answer,") ? 1 : 0);
    return rows;
  }
}
