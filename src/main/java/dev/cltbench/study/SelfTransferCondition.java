package dev.cltbench.study;

import java.util.List;

/**
 * {@code self-transfer}: one call that translates to English, answers and translates back (the
 * study's C3/C5); the graded text is the final answer after the step-3 marker.
 */
public final class SelfTransferCondition implements ConditionType {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "self-transfer";
  }

  /** Its one call is the direct condition's (the condition's own system prompt does the transfer). */
  private static final DirectCondition ONE_CALL = new DirectCondition();

  @Override
  public List<String> stages() {
    return ONE_CALL.stages();
  }

  @Override
  public Prompt prompt(String stage, PipelineDefinition definition, PipelineDefinition.Condition c, EvaluationTuple t) {
    if (!stage.equals(ANSWER)) {
      throw ConditionType.unknownStage(this, stage);
    }
    return ONE_CALL.prompt(stage, definition, c, t);
  }

  @Override
  public EvaluationTuple withGradedText(EvaluationTuple t, FinalAnswerExtractor extractor) {
    FinalAnswerExtractor.Extraction e = extractor.extraction(t.output(ANSWER));
    return t.withEvaluated(e.text(), e.rule() == FinalAnswerExtractor.Rule.MARKER ? "marker" : "fallback");
  }

  @Override
  public Graded gradedFromRecorded(String response, FinalAnswerExtractor extractor) {
    FinalAnswerExtractor.Extraction e = extractor.extraction(response);
    return new Graded(e.text(), switch (e.rule()) {
      case MARKER -> "marker";
      case LAST_THIRD -> "last-third";
      case WHOLE -> "whole";
    });
  }

  @Override
  public boolean extractsFinalAnswer() {
    return true;
  }
}
