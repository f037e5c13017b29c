package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same multiple-choice benchmark as JSONL and as CSV (with a passage that spans lines) gives the
 * same questions, in the launcher's reader and inside a pipeline.
 */
class ReadBenchmarkTest {
  @TempDir Path tmp;

  private static final Path JSONL = Path.of("src/test/resources/dev/cltbench/benchmarks/belebele-style-mini.jsonl");
  private static final List<String> LANGUAGES = List.of("english", "kazakh", "mongolian");

  private PipelineDefinition definition(String format) {
    List<PipelineDefinition.Language> languages = new ArrayList<>();
    for (String l : LANGUAGES) {
      languages.add(new PipelineDefinition.Language(l, l, "und", "passage_question_" + l));
    }
    List<String> choices = List.of("option_1_{language}", "option_2_{language}", "option_3_{language}",
        "option_4_{language}");
    return new PipelineDefinition("t", null, languages, null, List.of(), List.of(), null, null, null, null,
        null, null, null, null, null, null, null,
        new PipelineDefinition.BenchmarkFields(format, "qid", "topic", "correct", choices), null);
  }

  /** The JSONL rewritten as CSV, every value a string (the key 2 as "2"). */
  private Path csv() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(JSONL, StandardCharsets.UTF_8)) {
      rows.add(json.readTree(line));
    }
    List<String> header = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(header::add);
    Path file = tmp.resolve("mc.csv");
    try (CSVPrinter out = new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
      out.printRecord(header);
      for (JsonNode r : rows) {
        List<String> cells = new ArrayList<>();
        header.forEach(h -> cells.add(r.get(h).asText()));
        out.printRecord(cells);
      }
    }
    return file;
  }

  @Test
  void jsonlAndCsvGiveTheSameQuestionsWithLetteredChoices() throws Exception {
    Questions fromJsonl = Questions.read(JSONL.toString(), definition("jsonl"));
    Path csv = csv();
    Questions fromCsv = Questions.read(csv.toString(), definition("csv"));
    assertEquals(4, fromJsonl.size());
    List<Questions.Question> a = new ArrayList<>();
    fromJsonl.all().forEach(a::add);
    List<Questions.Question> b = new ArrayList<>();
    fromCsv.all().forEach(b::add);
    assertEquals(a, b);
    Questions.Question q1 = fromJsonl.get(1);
    assertEquals("geography", q1.category());
    assertEquals("B", q1.referenceAnswer(), "the number 2 is the letter B");
    assertEquals("A", fromJsonl.get(4).referenceAnswer(), "a lower-case letter is the letter");
    assertEquals("Astana is the capital of Kazakhstan. It lies on the Ishim River.\nWhich river does Astana lie on?"
        + "\n\nA. the Ural\nB. the Ishim\nC. the Irtysh\nD. the Syr Darya", q1.texts().get("passage_question_english"));

    for (String format : List.of("jsonl", "csv")) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
      PCollection<Questions.Question> read = p.apply(
          new ReadBenchmark((format.equals("csv") ? csv : JSONL).toAbsolutePath().toString(), definition(format)));
      PAssert.that(read).containsInAnyOrder(a);
      p.run().waitUntilFinish();
    }
  }

  @Test
  void aReferenceThatIsNoChoiceNamesTheLineAndTheField() throws Exception {
    Path bad = tmp.resolve("bad.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(JSONL, StandardCharsets.UTF_8));
    lines.set(1, lines.get(1).replace("\"correct\": \"C\"", "\"correct\": \"E\""));
    Files.write(bad, lines, StandardCharsets.UTF_8);
    StudyInputException e = assertThrows(StudyInputException.class,
        () -> Questions.read(bad.toString(), definition("jsonl")));
    assertTrue(e.getMessage().contains("bad.jsonl") && e.getMessage().contains("line 2")
        && e.getMessage().contains("correct") && e.getMessage().contains("'E'"), e.getMessage());
    Path missing = tmp.resolve("missing.jsonl");
    Files.writeString(missing, lines.get(0).replace("\"option_3_kazakh\"", "\"option_3_kz\"") + "\n");
    StudyInputException m = assertThrows(StudyInputException.class,
        () -> Questions.read(missing.toString(), definition("jsonl")));
    assertTrue(m.getMessage().contains("option_3_kazakh") && m.getMessage().contains("line 1"), m.getMessage());
  }
}
