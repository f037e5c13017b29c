package dev.cltbench.study;

import java.util.List;

/**
 * {@code pipeline-transfer}: translate the question from L to English, answer in English, translate
 * the answer back to L, as three calls (the translator is the model itself unless the condition names
 * one); the back-translation is graded in L.
 */
public final class PipelineTransferCondition implements ConditionType {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "pipeline-transfer";
  }

  @Override
  public List<String> stages() {
    return List.of(TRANSLATE_QUESTION, ANSWER, TRANSLATE_ANSWER);
  }

  @Override
  public Prompt prompt(String stage, PipelineDefinition definition, PipelineDefinition.Condition c, EvaluationTuple t) {
    return switch (stage) {
      case TRANSLATE_QUESTION -> ConditionType.translateQuestion(definition, c, t);
      case ANSWER -> new Prompt(ANSWER, t.model(), c.systemPrompt(), t.output(TRANSLATE_QUESTION));
      case TRANSLATE_ANSWER -> new Prompt(TRANSLATE_ANSWER, ConditionType.translator(c, t),
          definition.promptsOrDefault().translate(ENGLISH, ConditionType.languageName(definition, t.language())),
          t.output(ANSWER));
      default -> throw ConditionType.unknownStage(this, stage);
    };
  }

  @Override
  public String recordedResponse(EvaluationTuple t) {
    return t.output(TRANSLATE_ANSWER);
  }
}
