package dev.cltbench.transforms;

import dev.cltbench.clients.Call;
import dev.cltbench.judge.JudgePrompt;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.Condition;
import java.io.Serializable;
import java.util.List;

/**
 * Each condition type as a small graph of model calls:
 * <ul>
 *   <li>direct: the question in language L, answered in L;
 *   <li>self-transfer: one call that translates, answers and translates back; the graded text is the
 *       final answer after the step-3 marker;
 *   <li>pipeline-transfer: translate the question L to English, answer in English, translate the
 *       answer back to L, as separate calls (the translator is the model itself unless named);
 *   <li>translate-test: translate to English and answer in English, graded in English against the
 *       reference (separates translation loss from reasoning loss).
 * </ul>
 * Judging follows as one call per judge of the panel.
 */
public final class RunSteps implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String TRANSLATE_QUESTION = "translate-question";
  public static final String ANSWER = "answer";
  public static final String TRANSLATE_ANSWER = "translate-answer";
  public static final String JUDGE_PREFIX = "judge:";

  private final PipelineDefinition definition;
  private final FinalAnswerExtractor extractor;
  private final JudgePrompt judgePrompt;

  public RunSteps(PipelineDefinition definition) {
    this.definition = definition;
    this.extractor = definition.finalAnswerExtractor();
    this.judgePrompt = new JudgePrompt(definition.rubric());
  }

  public static List<String> stages(Condition c) {
    return switch (c.type()) {
      case "pipeline-transfer" -> List.of(TRANSLATE_QUESTION, ANSWER, TRANSLATE_ANSWER);
      case "translate-test" -> List.of(TRANSLATE_QUESTION, ANSWER);
      default -> List.of(ANSWER);
    };
  }

  private String languageName(String code) {
    return definition.language(code).map(PipelineDefinition.Language::name).orElse(code);
  }

  private static final String ENGLISH = "English";

  /** The call of {@code stage} for a tuple whose earlier stages are done. */
  public Call call(String stage, EvaluationTuple t) {
    Condition c = definition.condition(t.condition()).orElseThrow();
    String translator = c.translator() != null ? c.translator() : t.model();
    PipelineDefinition.Prompts prompts = definition.promptsOrDefault();
    return switch (stage) {
      case TRANSLATE_QUESTION -> new Call(stage, translator,
          prompts.translate(languageName(t.language()), ENGLISH), t.questionText(), t.epoch());
      case ANSWER -> c.type().equals("pipeline-transfer") || c.type().equals("translate-test")
          ? new Call(stage, t.model(), c.systemPrompt(), t.output(TRANSLATE_QUESTION), t.epoch())
          : new Call(stage, t.model(), c.systemPrompt(), t.questionText(), t.epoch());
      case TRANSLATE_ANSWER -> new Call(stage, translator,
          prompts.translate(ENGLISH, languageName(t.language())), t.output(ANSWER), t.epoch());
      default -> throw new IllegalArgumentException("unknown stage " + stage);
    };
  }

  /** The judge call of one panel judge for a tuple whose evaluated text is known. */
  public Call judgeCall(PipelineDefinition.ModelSpec judge, EvaluationTuple t) {
    Condition c = definition.condition(t.condition()).orElseThrow();
    String target = c.type().equals("translate-test") ? ENGLISH : languageName(t.language());
    return new Call(JUDGE_PREFIX + judge.name(), judge.name(), judgePrompt.system(),
        judgePrompt.user(target, t.questionText(), t.referenceAnswer(), t.evaluatedText()));
  }

  /** The graded text and how it was found, once the condition's stages are done. */
  public EvaluationTuple withEvaluatedText(EvaluationTuple t) {
    Condition c = definition.condition(t.condition()).orElseThrow();
    return switch (c.type()) {
      case "self-transfer" -> {
        String raw = t.output(ANSWER);
        yield t.withEvaluated(extractor.extract(raw), extractor.hasMarker(raw) ? "marker" : "fallback");
      }
      case "pipeline-transfer" -> t.withEvaluated(t.output(TRANSLATE_ANSWER), "whole");
      default -> t.withEvaluated(t.output(ANSWER), "whole");
    };
  }

  /** What the results file records as the model's response (the text report re-derives from). */
  public static String responseOf(Condition c, EvaluationTuple t) {
    return c.type().equals("pipeline-transfer") ? t.output(TRANSLATE_ANSWER) : t.output(ANSWER);
  }
}
