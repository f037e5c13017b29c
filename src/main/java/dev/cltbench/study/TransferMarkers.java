package dev.cltbench.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * The words that mark the final (translated-back) step of a self-transfer response: the step number, the
 * words for "step" in the benchmark's languages, and headings that introduce the translated answer.
 */
public record TransferMarkers(
    @JsonProperty("final_step") int finalStep,
    @JsonProperty("step_words") List<String> stepWords,
    @JsonProperty("headings") List<String> headings)
    implements Serializable {

  public TransferMarkers {
    if (finalStep < 1) {
      throw new IllegalArgumentException("final_step must be >= 1");
    }
    stepWords = List.copyOf(stepWords == null ? List.of() : stepWords);
    headings = List.copyOf(headings == null ? List.of() : headings);
    if (stepWords.isEmpty() && headings.isEmpty()) {
      throw new IllegalArgumentException("step_words and headings are both empty");
    }
  }
}
