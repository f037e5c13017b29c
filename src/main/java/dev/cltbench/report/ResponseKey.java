package dev.cltbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * One graded response of a study, as the report's readers of several study files match them up: its
 * condition, model, question and epoch (a repeat of the same tuple is another response, with its own
 * answer and grades; epoch 0 where a study has no repeats). Sorted by condition, model, then question: for responses to one
 * question (all that {@link dev.cltbench.stats.JudgeDiagnostics} keeps together), the order of the
 * "condition U+001F model U+001F question" strings it replaces.
 */
record ResponseKey(String condition, String model, int question, int epoch) implements Comparable<ResponseKey> {
  private static final Comparator<ResponseKey> ORDER = Comparator.comparing(ResponseKey::condition)
      .thenComparing(ResponseKey::model).thenComparingInt(ResponseKey::question)
      .thenComparingInt(ResponseKey::epoch);

  /** The key of a line of responses.jsonl or failures.jsonl. */
  static ResponseKey of(JsonNode line) {
    return new ResponseKey(line.path("condition").asText(), line.path("model").asText(),
        line.path("question_id").asInt(), line.path("epoch").asInt(0));
  }

  /** The key of a row of a grades file: its epoch column only where the study has epochs (else 0). */
  static ResponseKey of(String condition, org.apache.commons.csv.CSVRecord row) {
    return new ResponseKey(condition, row.get("model"), Integer.parseInt(row.get("question_id")),
        row.isMapped("epoch") && !row.get("epoch").isEmpty() ? Integer.parseInt(row.get("epoch")) : 0);
  }

  @Override
  public int compareTo(ResponseKey o) {
    return ORDER.compare(this, o);
  }
}
