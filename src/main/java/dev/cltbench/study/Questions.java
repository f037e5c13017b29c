package dev.cltbench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.Collections;
import java.util.Iterator;
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
    JsonNode root;
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false)))) {
      root = new ObjectMapper().readTree(in);
    } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new StudyInputException(file, null, null, "file not found");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StudyInputException(file, null, null, "malformed JSON: " + Utf8.describe(e));
    } catch (IOException e) {
      throw new StudyInputException(file, null, null, "malformed JSON: " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw new StudyInputException(file, null, null, "expected a JSON array of questions");
    }
    if (root.isEmpty()) {
      throw new StudyInputException(file, null, null, "the benchmark has no questions");
    }
    Map<Integer, Question> byId = new LinkedHashMap<>();
    int index = 0;
    for (Iterator<JsonNode> it = root.elements(); it.hasNext(); index++) {
      JsonNode q = it.next();
      String record = "[" + index + "]";
      JsonNode id = q.get("id");
      if (id == null || !id.canConvertToInt() || !id.isIntegralNumber()) {
        throw new StudyInputException(file, record, "id", "missing or not an integer");
      }
      record = "[" + index + "] (id " + id.asInt() + ")";
      String category = text(q, "category", file, record);
      Map<String, String> texts = new LinkedHashMap<>();
      for (PipelineDefinition.Language l : languages) {
        texts.put(l.questionField(), text(q, l.questionField(), file, record));
      }
      // Open-ended questions have no short reference (null): the judge uses the answer sheet.
      JsonNode ref = q.get("reference_answer");
      if (ref != null && !ref.isNull() && !ref.isTextual()) {
        throw new StudyInputException(file, record, "reference_answer", "must be a string or null");
      }
      String reference = ref == null || ref.isNull() ? null : ref.asText();
      if (byId.put(id.asInt(), new Question(id.asInt(), category, texts, reference)) != null) {
        throw new StudyInputException(file, record, "id", "duplicate question id " + id.asInt());
      }
    }
    return new Questions(byId);
  }

  private static String text(JsonNode q, String field, String file, String record) {
    JsonNode v = q.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new StudyInputException(file, record, field, "missing or not a non-empty string");
    }
    return v.asText();
  }
}
