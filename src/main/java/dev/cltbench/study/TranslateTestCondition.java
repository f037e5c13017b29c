package dev.cltbench.study;

import java.util.List;

/**
 * {@code translate-test}: translate the question from L to English and answer in English; the English
 * answer is graded in English against the reference (it separates translation loss from reasoning
 * loss).
 */
public final class TranslateTestCondition implements ConditionType {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "translate-test";
  }

  @Override
  public List<String> stages() {
    return List.of(TRANSLATE_QUESTION, ANSWER);
  }

  @Override
  public Prompt prompt(String stage, PipelineDefinition definition, PipelineDefinition.Condition c, EvaluationTuple t) {
    return switch (stage) {
      case TRANSLATE_QUESTION -> ConditionType.translateQuestion(definition, c, t);
      case ANSWER -> new Prompt(ANSWER, t.model(), c.systemPrompt(), t.output(TRANSLATE_QUESTION));
      default -> throw ConditionType.unknownStage(this, stage);
    };
  }

  @Override
  public boolean judgedInEnglish() {
    return true;
  }
}
