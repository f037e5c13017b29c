package dev.cltbench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;

/**
 * A benchmark's questions ({@code questions.json}: id, category, one text field per language,
 * reference_answer), indexed by id. Small by nature, so it travels to workers inside the transforms.
 */
public final class Questions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One question: id, category, texts by question field, English reference answer (or null). */
  public record Question(int id, String category, Map<String, String> texts, String referenceAnswer)
      implements Serializable {}

  private final Map<Integer, Question> byId;

  private Questions(Map<Integer, Question> byId) {
    this.byId = Collections.unmodifiableMap(byId);
  }

  public Question get(int id) {
    return byId.get(id);
  }

  public int size() {
    return byId.size();
  }

  public Iterable<Question> all() {
    return byId.values();
  }

  /** The questions whose ids {@code keep} accepts, in the benchmark's order. */
  public Questions restrictTo(java.util.function.IntPredicate keep) {
    Map<Integer, Question> kept = new LinkedHashMap<>();
    byId.forEach((id, q) -> {
      if (keep.test(id)) {
        kept.put(id, q);
      }
    });
    return new Questions(kept);
  }

  /** Reads and validates a questions file on any Beam filesystem; every language field must be set. */
  public static Questions read(String file, List<PipelineDefinition.Language> languages) {
    return read(file, languages, PipelineDefinition.BenchmarkFields.DEFAULT);
  }

  /** Reads a benchmark in the format and with the field mapping of the pipeline file. */
  public static Questions read(String file, PipelineDefinition definition) {
    return read(file, definition.languages(), definition.benchmarkFieldsOrDefault());
  }

  static Questions read(String file, List<PipelineDefinition.Language> languages,
      PipelineDefinition.BenchmarkFields fields) {
    List<JsonNode> records = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String format = fields.formatOrDefault();
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false)))) {
      switch (format) {
        case "jsonl" -> {
          java.io.BufferedReader r = new java.io.BufferedReader(Utf8.reader(in, file));
          String line;
          int n = 0;
          while ((line = r.readLine()) != null) {
            n++;
            if (!line.isBlank()) {
              records.add(parseLine(line, file, n));
              names.add("line " + n);
            }
          }
        }
        case "csv" -> {
          var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
              .build().parse(Utf8.reader(in, file));
          for (org.apache.commons.csv.CSVRecord row : parser) {
            records.add(csvObject(row));
            names.add("line " + parser.getCurrentLineNumber());
          }
        }
        default -> {
          JsonNode root = new ObjectMapper().readTree(in);
          if (root == null || !root.isArray()) {
            throw new StudyInputException(file, null, null, "expected a JSON array of questions");
          }
          for (int i = 0; i < root.size(); i++) {
            records.add(root.get(i));
            names.add("[" + i + "]");
          }
        }
      }
    } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new StudyInputException(file, null, null, "file not found");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StudyInputException(file, null, null, "malformed JSON: " + Utf8.describe(e));
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      throw new StudyInputException(file, null, null, "malformed CSV: " + e.getMessage());
    } catch (IOException e) {
      throw new StudyInputException(file, null, null,
          (format.equals("csv") ? "malformed CSV: " : "malformed JSON: ") + e.getMessage());
    }
    if (records.isEmpty()) {
      throw new StudyInputException(file, null, null, "the benchmark has no questions");
    }
    Map<Integer, Question> byId = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      Question q = question(records.get(i), names.get(i), file, languages, fields);
      if (byId.put(q.id(), q) != null) {
        throw new StudyInputException(file, names.get(i) + " (id " + q.id() + ")", fields.idField(),
            "duplicate question id " + q.id());
      }
    }
    return new Questions(byId);
  }

  /** One line of a JSONL benchmark: an object (errors name the line). */
  public static JsonNode parseLine(String line, String file, int lineNumber) {
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StudyInputException(file, "line " + lineNumber, null, "malformed JSON: " + Utf8.describe(e));
    }
    if (node == null || !node.isObject()) {
      throw new StudyInputException(file, "line " + lineNumber, null, "expected a JSON object");
    }
    return node;
  }

  /** A CSV row as an object of strings, so one reader checks every format. */
  public static JsonNode csvObject(org.apache.commons.csv.CSVRecord row) {
    com.fasterxml.jackson.databind.node.ObjectNode o = new ObjectMapper().createObjectNode();
    row.toMap().forEach(o::put);
    return o;
  }

  /**
   * One question from one record under the field mapping: the id (an integer, or in CSV its digits),
   * the category, the text in every language (with the choices after it, lettered), the reference
   * (a choice letter when there are choices).
   */
  public static Question question(JsonNode q, String at, String file, List<PipelineDefinition.Language> languages,
      PipelineDefinition.BenchmarkFields fields) {
    if (!q.isObject()) {
      throw new StudyInputException(file, at, null, "expected a JSON object");
    }
    JsonNode idNode = q.get(fields.idField());
    int id;
    if (idNode != null && idNode.isIntegralNumber() && idNode.canConvertToInt()) {
      id = idNode.asInt();
    } else if (fields.formatOrDefault().equals("csv") && idNode != null && idNode.isTextual()
        && idNode.asText().strip().matches("[0-9]{1,9}")) {
      id = Integer.parseInt(idNode.asText().strip());
    } else {
      throw new StudyInputException(file, at, fields.idField(), "missing or not an integer");
    }
    String record = at + " (id " + id + ")";
    String category = text(q, fields.categoryField(), file, record);
    List<String> choiceFields = fields.choicesOrEmpty();
    Map<String, String> texts = new LinkedHashMap<>();
    for (PipelineDefinition.Language l : languages) {
      StringBuilder t = new StringBuilder(text(q, l.questionField(), file, record));
      if (!choiceFields.isEmpty()) {
        t.append("\n");
        for (int i = 0; i < choiceFields.size(); i++) {
          String f = choiceFields.get(i).replace("{language}", l.code());
          t.append('\n').append((char) ('A' + i)).append(". ").append(text(q, f, file, record));
        }
      }
      texts.put(l.questionField(), t.toString());
    }
    // Open-ended questions have no short reference (null): the judge uses the answer sheet.
    String refField = fields.referenceField();
    JsonNode ref = q.get(refField);
    if (ref != null && !ref.isNull() && !ref.isTextual() && !(ref.isIntegralNumber() && !choiceFields.isEmpty())) {
      throw new StudyInputException(file, record, refField, "must be a string or null");
    }
    String reference = ref == null || ref.isNull() ? null : ref.asText();
    if (!choiceFields.isEmpty()) {
      reference = choiceLetter(reference, choiceFields.size(), file, record, refField);
    }
    return new Question(id, category, texts, reference);
  }

  /** A reference letter (A, b) or 1-based number (2) of one of {@code n} choices, as the letter. */
  private static String choiceLetter(String reference, int n, String file, String record, String field) {
    String r = reference == null ? "" : reference.strip();
    int index = -1;
    if (r.matches("[0-9]{1,2}")) {
      index = Integer.parseInt(r) - 1;
    } else if (r.length() == 1 && Character.isLetter(r.charAt(0))) {
      index = Character.toUpperCase(r.charAt(0)) - 'A';
    }
    if (index < 0 || index >= n) {
      throw new StudyInputException(file, record, field,
          "must name one of the " + n + " choices by letter (A..) or number (1..), was '" + r + "'");
    }
    return String.valueOf((char) ('A' + index));
  }

  /** The questions as the published study's {@code questions.json} (what a run's study directory keeps). */
  public String toJson(List<PipelineDefinition.Language> languages) {
    ObjectMapper m = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ArrayNode all = m.createArrayNode();
    for (Question q : byId.values()) {
      com.fasterxml.jackson.databind.node.ObjectNode o = all.addObject();
      o.put("id", q.id());
      o.put("category", q.category());
      for (PipelineDefinition.Language l : languages) {
        o.put(l.questionField(), q.texts().get(l.questionField()));
      }
      o.put("reference_answer", q.referenceAnswer());
    }
    try {
      return m.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An explicit coder for questions read inside a pipeline. */
  public static org.apache.beam.sdk.coders.Coder<Question> questionCoder() {
    return QuestionCoder.INSTANCE;
  }

  private static final class QuestionCoder extends org.apache.beam.sdk.coders.AtomicCoder<Question> {
    static final QuestionCoder INSTANCE = new QuestionCoder();

    @Override
    public void encode(Question q, java.io.OutputStream out) throws IOException {
      Wire.integer(q.id(), out);
      Wire.string(q.category(), out);
      Wire.integer(q.texts().size(), out);
      for (Map.Entry<String, String> e : q.texts().entrySet()) {
        Wire.string(e.getKey(), out);
        Wire.string(e.getValue(), out);
      }
      Wire.nullableString(q.referenceAnswer(), out);
    }

    @Override
    public Question decode(InputStream in) throws IOException {
      int id = Wire.integer(in);
      String category = Wire.string(in);
      int n = Wire.integer(in);
      Map<String, String> texts = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String k = Wire.string(in);
        texts.put(k, Wire.string(in));
      }
      return new Question(id, category, texts, Wire.nullableString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  private static String text(JsonNode q, String field, String file, String record) {
    JsonNode v = q.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new StudyInputException(file, record, field, "missing or not a non-empty string");
    }
    return v.asText();
  }
}
