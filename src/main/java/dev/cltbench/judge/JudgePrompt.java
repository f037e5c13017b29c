package dev.cltbench.judge;

import dev.cltbench.study.PipelineDefinition;
import java.io.Serializable;
import java.util.List;

/**
 * The judge's instructions: the study's rubric and rules (from the pipeline file), and a request for a
 * single JSON object. Our own wording; the published study's judge prompt was not released. The user
 * message carries the question, the reference and the answer in tagged blocks so that a replaying
 * emulator can find the recorded grade of an answer.
 */
public final class JudgePrompt implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PipelineDefinition.Rubric rubric;

  public JudgePrompt(PipelineDefinition.Rubric rubric) {
    this.rubric = rubric;
  }

  public String system() {
    StringBuilder sb = new StringBuilder();
    sb.append("You are a strict, fair evaluator of answers written by AI models. ")
        .append("Grade the answer against the reference on each criterion:\n");
    for (PipelineDefinition.Criterion c : rubric.criteria()) {
      sb.append("- ").append(c.name()).append(" (").append(c.min()).append("..").append(c.max()).append("):");
      for (int i = 0; i < c.levels().size(); i++) {
        sb.append(' ').append(c.min() + i).append(" = ").append(c.levels().get(i))
            .append(i + 1 < c.levels().size() ? ";" : "");
      }
      sb.append('\n');
    }
    sb.append("Rules:\n");
    for (String rule : rubric.rules()) {
      sb.append("- ").append(rule).append('\n');
    }
    if (rubric.criterion("fluency").isPresent()) {
      sb.append("Fluency is judged in the target language named in the request. ");
    }
    sb.append("Reply with one JSON object and nothing else, for example ")
        .append(example()).append('.');
    return sb.toString();
  }

  /**
   * A reply in the rubric's own criteria: the maximum on every other criterion from the first, the
   * middle of the range between (for the study's rubric: accuracy 2, fluency 1, completeness 2).
   */
  private String example() {
    StringBuilder sb = new StringBuilder("{");
    List<PipelineDefinition.Criterion> cs = rubric.criteria();
    for (int i = 0; i < cs.size(); i++) {
      PipelineDefinition.Criterion c = cs.get(i);
      int v = i % 2 == 0 ? c.max() : (c.min() + c.max()) / 2;
      sb.append('"').append(c.name()).append("\": ").append(v).append(", ");
    }
    return sb.append("\"notes\": \"why\"}").toString();
  }

  public String user(String targetLanguage, String question, String reference, String answer) {
    return "Target language: " + targetLanguage + "\n"
        + "<question>" + question + "</question>\n"
        + "<reference>" + (reference == null ? "(see the answer sheet; no short reference)" : reference)
        + "</reference>\n"
        + "<answer>" + answer + "</answer>";
  }
}
