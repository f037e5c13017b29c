package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} on a subset of the fixture study gives the full report's rows for that subset. */
class ReportSubsetTest {
  @TempDir static Path tmp;
  static Path full;

  static final Set<String> MODELS = Set.of("argali_multi");
  static final Set<String> CONDITIONS = Set.of("C2", "C3");

  @BeforeAll
  static void fullReport() {
    full = tmp.resolve("full");
    CliRun r = CliRun.of("report", "--pipeline=" + StudyData.fixturePipeline(), "--study=" + StudyData.fixture(),
        "--output=" + full, "--languageId=false");
    assertEquals(0, r.exit(), r::toString);
  }

  @Test
  void subsetRowsEqualTheFullReportsRows() throws Exception {
    Path sub = tmp.resolve("subset");
    CliRun r = CliRun.of("report", "--pipeline=" + StudyData.fixturePipeline(), "--study=" + StudyData.fixture(),
        "--output=" + sub, "--languageId=false", "--models=argali_multi", "--conditions=C2,C3");
    assertEquals(0, r.exit(), r::toString);
    Predicate<CSVRecord> mine = row -> MODELS.contains(row.get("model")) && CONDITIONS.contains(row.get("condition"));
    List<List<String>> expected = rows(full.resolve("tables/models.csv"), mine, List.of());
    assertEquals(MODELS.size() * CONDITIONS.size(), expected.size());
    assertEquals(expected, rows(sub.resolve("tables/models.csv"), row -> true, List.of()));
    // Per model x condition intervals, and per model comparisons (p_adjusted is Holm over the file's rows,
    // so it depends on which rows the file has).
    Predicate<CSVRecord> modelScope = row -> row.get("scope").equals("model")
        && MODELS.contains(row.get("group")) && CONDITIONS.contains(row.get("condition"));
    List<List<String>> intervals = rows(full.resolve("tables/intervals.csv"), modelScope, List.of());
    assertEquals(MODELS.size() * CONDITIONS.size(), intervals.size());
    assertEquals(intervals, rows(sub.resolve("tables/intervals.csv"), modelScope, List.of()));
    Predicate<CSVRecord> modelPairs = row -> MODELS.stream().anyMatch(m -> row.get("scope").equals("model:" + m))
        && row.get("treatment").equals("C3");
    List<List<String>> pairs = rows(full.resolve("tables/significance.csv"), modelPairs, List.of("p_adjusted"));
    assertEquals(MODELS.size(), pairs.size());
    assertEquals(pairs, rows(sub.resolve("tables/significance.csv"), modelPairs, List.of("p_adjusted")));
    // The subset's own overall rows cover its model's answers only, one a question.
    int questions = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(StudyData.fixture().resolve("benchmark/questions.json").toFile()).size();
    List<String> c3 = Files.readAllLines(sub.resolve("tables/conditions.csv")).stream()
        .filter(l -> l.startsWith("C3,")).toList();
    assertTrue(c3.get(0).startsWith("C3," + MODELS.size() * questions + ","), c3.toString());
    String html = Files.readString(sub.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("SUBSET") && html.contains("models argali_multi")
        && html.contains("conditions C2, C3"), "the report says what it covers");
  }

  @Test
  void aTransferConditionAloneIsNotComparedAndOtherModelsFilesAreIgnored() throws Exception {
    // The pipeline file no longer lists kestrel_en, whose results files are still in the study.
    String def = Files.readString(StudyData.fixturePipeline(), StandardCharsets.UTF_8);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(def);
    var models = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("models");
    for (int i = models.size() - 1; i >= 0; i--) {
      if (models.get(i).get("name").asText().equals("kestrel_en")) {
        models.remove(i);
      }
    }
    Path pipeline = tmp.resolve("one-model.json");
    Files.writeString(pipeline, json.writeValueAsString(root));
    Path sub = tmp.resolve("c3-alone");
    CliRun whole = CliRun.of("report", "--pipeline=" + pipeline, "--study=" + StudyData.fixture(),
        "--output=" + sub, "--languageId=false");
    assertEquals(2, whole.exit(), "without a subset an unknown model's file is still an error");
    assertTrue(whole.err().contains("kestrel_en"), whole::toString);
    CliRun r = CliRun.of("report", "--pipeline=" + pipeline, "--study=" + StudyData.fixture(),
        "--output=" + sub, "--languageId=false", "--models=argali_multi", "--conditions=C3", "--limit=4");
    assertEquals(0, r.exit(), r::toString);
    Path significance = sub.resolve("tables/significance.csv");
    assertTrue(!Files.exists(significance) || Files.readAllLines(significance).size() == 1,
        "C2 not selected: no comparison");
    List<List<String>> table = rows(sub.resolve("tables/models.csv"), row -> true, List.of());
    assertEquals(1, table.size());
    for (List<String> m : table) {
      assertEquals("4", m.get(2), "4 questions: " + m);
    }
    assertFalse(Files.readString(sub.resolve("responses.jsonl")).contains("kestrel_en"));
  }

  static List<List<String>> rows(Path csv, Predicate<CSVRecord> keep, List<String> drop) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(csv)) {
      var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
      List<String> header = parser.getHeaderNames();
      for (CSVRecord r : parser) {
        if (keep.test(r)) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < header.size(); i++) {
            if (!drop.contains(header.get(i))) {
              cells.add(r.get(i));
            }
          }
          out.add(cells);
        }
      }
    }
    return out;
  }
}
