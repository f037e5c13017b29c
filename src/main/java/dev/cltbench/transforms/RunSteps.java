package dev.cltbench.transforms;

import dev.cltbench.clients.Call;
import dev.cltbench.clients.CallOutcome;
import dev.cltbench.clients.ResponseSchema;
import dev.cltbench.judge.JudgePrompt;
import dev.cltbench.judge.RubricSchema;
import dev.cltbench.study.ConditionType;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.Condition;
import java.io.Serializable;
import java.util.List;

/**
 * A tuple's model calls as its condition's strategy ({@link ConditionType}) describes them, then one
 * judge call per judge of the panel: this class only turns a strategy's prompts into calls.
 */
public final class RunSteps implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String TRANSLATE_QUESTION = ConditionType.TRANSLATE_QUESTION;
  public static final String ANSWER = ConditionType.ANSWER;
  public static final String TRANSLATE_ANSWER = ConditionType.TRANSLATE_ANSWER;
  public static final String JUDGE_PREFIX = "judge:";

  private final PipelineDefinition definition;
  private final FinalAnswerExtractor extractor;
  private final JudgePrompt judgePrompt;
  private final ResponseSchema verdictSchema;

  public RunSteps(PipelineDefinition definition) {
    this.definition = definition;
    this.extractor = definition.finalAnswerExtractor();
    this.judgePrompt = new JudgePrompt(definition.rubric());
    this.verdictSchema = RubricSchema.of(definition.rubric());
  }

  public static List<String> stages(Condition c) {
    return c.conditionType().stages();
  }

  /** The call of {@code stage} for a tuple whose earlier stages are done. */
  public Call call(String stage, EvaluationTuple t) {
    Condition c = definition.condition(t.condition()).orElseThrow();
    ConditionType.Prompt p = c.conditionType().prompt(stage, definition, c, t);
    return new Call(p.stage(), p.model(), p.system(), p.user(), t.epoch());
  }

  /** The judge call of one panel judge for a tuple whose evaluated text is known. */
  public Call judgeCall(PipelineDefinition.ModelSpec judge, EvaluationTuple t) {
    Condition c = definition.condition(t.condition()).orElseThrow();
    String target = c.conditionType().judgedLanguageName(definition, c);
    Call call = new Call(JUDGE_PREFIX + judge.name(), judge.name(), judgePrompt.system(),
        judgePrompt.user(target, t.questionText(), t.referenceAnswer(), t.evaluatedText()));
    return withJudgeSchema(judge, call);
  }

  /**
   * {@code call} as {@code judge} sends it: with the rubric as a schema the provider holds the reply
   * to, where the judge's entry asks for one.
   */
  public Call withJudgeSchema(PipelineDefinition.ModelSpec judge, Call call) {
    return judge.structuredJudging() ? call.withSchema(verdictSchema) : call;
  }

  /** The graded text and how it was found, once the condition's stages are done. */
  public EvaluationTuple withEvaluatedText(EvaluationTuple t) {
    Condition c = definition.condition(t.condition()).orElseThrow();
    return c.conditionType().withGradedText(t, extractor);
  }

  /** What the results file records as the model's response (the text report re-derives from). */
  public static String responseOf(Condition c, EvaluationTuple t) {
    return c.conditionType().recordedResponse(t);
  }

  /** The tuple after {@code call}: with its step, or stopped by its failure. */
  public EvaluationTuple withOutcome(EvaluationTuple t, Call call, CallOutcome outcome) {
    return outcome.failure() != null ? t.withFailure(failure(call, outcome.failure()))
        : t.withStep(step(call, outcome.reply(), null));
  }

  /**
   * A failed call as the tuple records it, with the failing reply as a step (its tokens and attempts,
   * for costs and failures.jsonl) when there was one to account for.
   */
  public EvaluationTuple.Failure failure(Call call, CallOutcome.Failure f) {
    String provider = definition.anyModel(call.model()).orElseThrow().provider();
    EvaluationTuple.Step failed = f.reply() == null ? null
        : step(call, f.reply(), f.kind() != null ? f.kind() : "failed");
    return new EvaluationTuple.Failure(call.stage(), provider, f.status(), f.reason(), f.kind(), failed);
  }

  /** A reply as the step of {@code call}; {@code failure} names the kind of a failed call's step. */
  public static EvaluationTuple.Step step(Call call, CallOutcome.Reply r, String failure) {
    return new EvaluationTuple.Step(call.stage(), call.model(), call.system(), call.user(), r.text(),
        r.usage().inputTokens(), r.usage().outputTokens(), r.latencyMs(), r.cached(), r.usage().reasoningTokens(),
        r.usage().billedInputTokens(), r.usage().billedOutputTokens(), r.finishReason(), r.modelVersion(),
        r.attempts(), r.truncated() ? Boolean.TRUE : null, failure, r.reasoning());
  }
}
