package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.StudyData;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epochs are repeated measurements of one unit, not more questions: the fixture study with every
 * answer and grade recorded twice (epochs 0 and 1, identical) must give exactly the fixture
 * study's scores, intervals and tests. Were repeats counted as responses, the intervals would narrow.
 */
class EpochStatisticsTest {
  @TempDir Path tmp;

  @Test
  void identicalRepeatsChangeNoScoreIntervalOrTest() throws Exception {
    Path twice = tmp.resolve("twice");
    Path study = StudyData.fixture();
    String pipeline = "--pipeline=" + StudyData.fixturePipeline();
    dev.cltbench.study.PipelineDefinition def = dev.cltbench.study.PipelineDefinition.read(StudyData.fixturePipeline());
    Files.createDirectories(twice.resolve("benchmark"));
    Files.copy(study.resolve("benchmark/questions.json"), twice.resolve("benchmark/questions.json"));
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.walk(study.resolve("results"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        ObjectNode root = (ObjectNode) json.readTree(f.toFile());
        ArrayNode doubled = json.createArrayNode();
        for (JsonNode r : root.get("responses")) {
          for (int e = 0; e < 2; e++) {
            doubled.add(((ObjectNode) r.deepCopy()).put("epoch", e));
          }
        }
        root.set("responses", doubled);
        Path out = twice.resolve(study.relativize(f).toString());
        Files.createDirectories(out.getParent());
        json.writeValue(out.toFile(), root);
      }
    }
    Files.createDirectories(twice.resolve("grades"));
    try (Stream<Path> files = Files.list(study.resolve("grades"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        try (Reader in = Files.newBufferedReader(f);
            CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
            Writer w = Files.newBufferedWriter(twice.resolve("grades/" + f.getFileName()));
            CSVPrinter printer = CSVFormat.DEFAULT.print(w)) {
          List<String> header = new ArrayList<>(parser.getHeaderNames());
          header.add("epoch");
          printer.printRecord(header);
          for (CSVRecord r : parser) {
            for (int e = 0; e < 2; e++) {
              List<String> row = new ArrayList<>(r.toList());
              row.add(Integer.toString(e));
              printer.printRecord(row);
            }
          }
        }
      }
    }
    int questions = json.readTree(study.resolve("benchmark/questions.json").toFile()).size();
    CliRun once = CliRun.of("report", pipeline, "--study=" + study, "--output=" + tmp.resolve("once"), "--languageId=false");
    assertEquals(0, once.exit(), once::toString);
    CliRun rep = CliRun.of("report", pipeline, "--study=" + twice, "--output=" + tmp.resolve("twice-report"),
        "--languageId=false", "--epochs=2");
    assertEquals(0, rep.exit(), rep::toString);
    for (String table : List.of("conditions", "families", "models", "categories", "intervals", "significance")) {
      assertEquals(Files.readString(tmp.resolve("once/tables/" + table + ".csv")),
          Files.readString(tmp.resolve("twice-report/tables/" + table + ".csv")), table);
    }
    List<String> spread = Files.readAllLines(tmp.resolve("twice-report/tables/epochs.csv"));
    // One row per model x condition.
    assertEquals(1 + def.models().size() * def.conditions().size(), spread.size());
    // A tuple per question, two answers each, no spread between identical repeats.
    assertTrue(spread.get(1).matches("[^,]+,C1," + questions + "," + 2 * questions + ",0,0,0"), spread.get(1));
    // Without --epochs the repeats are refused, naming the file and field.
    CliRun refused = CliRun.of("report", pipeline, "--study=" + twice, "--output=" + tmp.resolve("refused"), "--languageId=false");
    assertEquals(2, refused.exit(), refused::toString);
    assertTrue(refused.err().contains("epoch"), refused::toString);
  }
}
