package dev.cltbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Reading and editing study files in tests. */
final class StudyFiles {
  private StudyFiles() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Every grades/*.csv row of a study directory, keyed by file, model and question, without the
   * columns named in {@code drop} (e.g. the measured response_time).
   */
  static Map<String, List<String>> grades(Path dir, String... drop) throws IOException {
    Map<String, List<String>> rows = new TreeMap<>();
    try (var files = Files.list(dir.resolve("grades"))) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
          List<String> header = parser.getHeaderNames();
          for (CSVRecord r : parser) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
              if (!List.of(drop).contains(header.get(i))) {
                cells.add(header.get(i) + "=" + r.get(i));
              }
            }
            rows.put(f.getFileName() + "|" + r.get("model") + "|" + r.get("question_id"), cells);
          }
        }
      }
    }
    return rows;
  }

  /** A copy of a pipeline file with an edit applied to its JSON. */
  static Path editedPipeline(Path from, Path to, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(from.toFile());
    edit.accept(root);
    Files.writeString(to, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
    return to;
  }

  /** The first {@code n} questions of a questions.json. */
  static Path firstQuestions(Path from, Path to, int n) throws IOException {
    JsonNode all = JSON.readTree(from.toFile());
    ArrayNode some = JSON.createArrayNode();
    for (int i = 0; i < n; i++) {
      some.add(all.get(i));
    }
    Files.writeString(to, JSON.writeValueAsString(some), StandardCharsets.UTF_8);
    return to;
  }
}
