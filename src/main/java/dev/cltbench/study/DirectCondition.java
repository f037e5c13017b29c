package dev.cltbench.study;

import java.util.List;

/** {@code direct}: the question in language L, answered in L; the answer is graded in L. */
public final class DirectCondition implements ConditionType {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "direct";
  }

  @Override
  public List<String> stages() {
    return List.of(ANSWER);
  }

  @Override
  public Prompt prompt(String stage, PipelineDefinition definition, PipelineDefinition.Condition c, EvaluationTuple t) {
    if (!stage.equals(ANSWER)) {
      throw ConditionType.unknownStage(this, stage);
    }
    return new Prompt(ANSWER, t.model(), c.systemPrompt(), t.questionText());
  }
}
