package dev.cltbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A study of any shape written from scratch in the published layout, with its own pipeline file (the
 * published pipeline's languages, judge, rubric and statistics; the models, families and conditions
 * given here). Made for tests that report on studies nobody recorded: odd names, constant or
 * degenerate grades, empty and huge answers, several epochs.
 *
 * <p>Every response has fewer than six lines and no step-3 marker, so the graded text of a transfer
 * condition is the whole response (the study's rule), and its words are the ones the generator put in:
 * {@link Answer#words} is written as {@code response_length}, never counted by the program under test.
 */
final class GeneratedStudy {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> LANGUAGES = List.of("english", "kazakh", "mongolian");

  record Model(String name, String family) {}

  /** A condition; {@code compareWith} is the direct condition a transfer one is compared with, else null. */
  record Condition(String id, String label, String directory, String language, String compareWith) {
    boolean transfer() {
      return compareWith != null;
    }
  }

  record Question(int id, String category, String english, String kazakh, String mongolian) {
    String text(String language) {
      return switch (language) {
        case "english" -> english;
        case "kazakh" -> kazakh;
        default -> mongolian;
      };
    }
  }

  /** One graded answer: its words (joined by spaces or newlines), time, scores (acc, flu, comp), notes. */
  record Answer(List<String> words, boolean multiline, double time, int accuracy, int fluency,
      int completeness, String notes) {
    String response() {
      if (!multiline) {
        return String.join(" ", words);
      }
      // At most five lines, so no transfer fallback ("last third of 6+ lines") applies.
      StringBuilder sb = new StringBuilder();
      int perLine = Math.max(1, (words.size() + 4) / 5);
      for (int i = 0; i < words.size(); i++) {
        sb.append(i == 0 ? "" : i % perLine == 0 ? "\n" : " ").append(words.get(i));
      }
      return sb.toString();
    }
  }

  interface Answers {
    Answer answer(Condition c, Model m, Question q, int epoch);
  }

  final List<Model> models;
  final List<Condition> conditions;
  final List<Question> questions;
  final int epochs;
  final Set<String> extraFamilies;

  GeneratedStudy(List<Model> models, List<Condition> conditions, List<Question> questions, int epochs,
      Set<String> extraFamilies) {
    this.models = models;
    this.conditions = conditions;
    this.questions = questions;
    this.epochs = epochs;
    this.extraFamilies = extraFamilies;
  }

  /** Writes the study into {@code dir} and its pipeline file beside it; returns the pipeline file. */
  Path write(Path dir, Answers answers) throws IOException {
    Files.createDirectories(dir.resolve("benchmark"));
    ArrayNode qs = JSON.createArrayNode();
    for (Question q : questions) {
      qs.addObject().put("id", q.id()).put("category", q.category()).put("english", q.english())
          .put("kazakh", q.kazakh()).put("mongolian", q.mongolian()).put("reference_answer", "ref " + q.id());
    }
    Files.writeString(dir.resolve("benchmark/questions.json"), JSON.writeValueAsString(qs), StandardCharsets.UTF_8);
    for (Condition c : conditions) {
      Path results = Files.createDirectories(dir.resolve("results").resolve(c.directory()));
      Files.createDirectories(dir.resolve("grades"));
      List<String> header = new ArrayList<>(List.of("question_id", "category", "model", "accuracy", "fluency",
          "completeness", "total", "response_time", "response_length", "notes"));
      if (epochs > 1) {
        header.add("epoch");
      }
      try (Writer w = Files.newBufferedWriter(dir.resolve("grades").resolve(c.directory() + ".csv"),
              StandardCharsets.UTF_8);
          CSVPrinter grades = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build().print(w)) {
        grades.printRecord(header);
        for (Model m : models) {
          ObjectNode file = JSON.createObjectNode();
          file.put("model", m.name()).put("model_id", m.name()).put("condition", c.id())
              .put("language", c.language()).putNull("system_prompt_used");
          ArrayNode rs = file.putArray("responses");
          for (Question q : questions) {
            for (int e = 0; e < epochs; e++) {
              Answer a = answers.answer(c, m, q, e);
              ObjectNode r = rs.addObject().put("question_id", q.id()).put("category", q.category())
                  .put("question_text", q.text(c.language())).put("response", a.response())
                  .put("reference_answer", "ref " + q.id()).put("response_time_seconds", a.time());
              List<Object> row = new ArrayList<>(List.of(q.id(), q.category(), m.name(), a.accuracy(),
                  a.fluency(), a.completeness(), a.accuracy() + a.fluency() + a.completeness(),
                  Double.toString(a.time()), a.words().size(), a.notes()));
              if (epochs > 1) {
                r.put("epoch", e);
                row.add(e);
              }
              grades.printRecord(row);
            }
          }
          Files.writeString(results.resolve(m.name() + ".json"), JSON.writeValueAsString(file),
              StandardCharsets.UTF_8);
        }
      }
    }
    return pipeline(dir.resolve("pipeline.json"));
  }

  /** The published pipeline file with this study's families, models, conditions and epochs. */
  Path pipeline(Path to) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(Path.of("pipelines/left-behind.json").toFile());
    root.put("name", "generated");
    if (epochs > 1) {
      root.put("epochs", epochs);
    }
    JsonNode modelTemplate = root.get("models").get(0);
    JsonNode direct = root.get("conditions").get(1);
    JsonNode transfer = root.get("conditions").get(2);
    Set<String> families = new LinkedHashSet<>();
    models.forEach(m -> families.add(m.family()));
    families.addAll(extraFamilies);
    ArrayNode fs = root.putArray("families");
    families.forEach(f -> fs.addObject().put("name", f).put("description", "family " + f));
    ArrayNode ms = root.putArray("models");
    for (Model m : models) {
      ms.add(((ObjectNode) modelTemplate.deepCopy()).put("name", m.name()).put("model_id", m.name())
          .put("family", m.family()));
    }
    ArrayNode cs = root.putArray("conditions");
    for (Condition c : conditions) {
      ObjectNode n = ((ObjectNode) (c.transfer() ? transfer : direct).deepCopy()).put("id", c.id())
          .put("label", c.label()).put("directory", c.directory()).put("language", c.language())
          .put("description", "generated " + c.label());
      if (c.transfer()) {
        n.put("compare_with", c.compareWith());
      }
      cs.add(n);
    }
    Files.writeString(to, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
    return to;
  }

  /** Model name to family, as this study defines it (for the independent computation). */
  Map<String, String> families() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    models.forEach(x -> m.put(x.name(), x.family()));
    return m;
  }

  /** Condition directory to condition id. */
  Map<String, String> directories() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    conditions.forEach(c -> m.put(c.directory(), c.id()));
    return m;
  }

  /** Transfer condition id to its direct condition's id. */
  Map<String, String> controls() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    conditions.stream().filter(Condition::transfer).forEach(c -> m.put(c.id(), c.compareWith()));
    return m;
  }
}
