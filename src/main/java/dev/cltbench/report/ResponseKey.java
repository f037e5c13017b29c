package dev.cltbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * One graded response of a study, as the report's readers of several study files match them up: its
 * condition, model and question. Sorted by condition, model, then question: for responses to one
 * question (all that {@link dev.cltbench.stats.JudgeDiagnostics} keeps together), the order of the
 * "condition U+001F model U+001F question" strings it replaces.
 */
record ResponseKey(String condition, String model, int question) implements Comparable<ResponseKey> {
  private static final Comparator<ResponseKey> ORDER = Comparator.comparing(ResponseKey::condition)
      .thenComparing(ResponseKey::model).thenComparingInt(ResponseKey::question);

  /** The key of a line of responses.jsonl or failures.jsonl. */
  static ResponseKey of(JsonNode line) {
    return new ResponseKey(line.path("condition").asText(), line.path("model").asText(),
        line.path("question_id").asInt());
  }

  @Override
  public int compareTo(ResponseKey o) {
    return ORDER.compare(this, o);
  }
}
