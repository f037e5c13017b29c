package dev.cltbench.study;

import java.io.Serializable;
import java.util.List;

/**
 * A transfer strategy: what a condition of this type asks the models (its stages, in order, and the
 * prompt of each), which text of the finished tuple is graded and how it was found, and the language
 * the judge grades it in. One class per type, found by name in {@link ConditionTypes}; a condition in
 * the pipeline file names its type, so adding a type is one class and one line of the registry.
 */
public interface ConditionType extends Serializable {
  String TRANSLATE_QUESTION = "translate-question";
  String ANSWER = "answer";
  String TRANSLATE_ANSWER = "translate-answer";

  /** The name a pipeline file's {@code conditions[].type} gives. */
  String name();

  /** The model calls of a tuple, in order; each takes the outputs of the ones before. */
  List<String> stages();

  /** The prompt of {@code stage} for tuple {@code t} of condition {@code c}, its earlier stages done. */
  Prompt prompt(String stage, PipelineDefinition definition, PipelineDefinition.Condition c, EvaluationTuple t);

  /** What the results file records as the model's response, once the stages are done. */
  default String recordedResponse(EvaluationTuple t) {
    return t.output(ANSWER);
  }

  /** The tuple with its graded text and how it was found (live), once the stages are done. */
  default EvaluationTuple withGradedText(EvaluationTuple t, FinalAnswerExtractor extractor) {
    return t.withEvaluated(recordedResponse(t), "whole");
  }

  /**
   * The graded text re-derived from a recorded response (a results file), and how it was found:
   * {@code whole}, or for an extracted final answer {@code marker} / {@code last-third}.
   */
  default Graded gradedFromRecorded(String response, FinalAnswerExtractor extractor) {
    return new Graded(response, "whole");
  }

  /** Whether the graded text is a final answer cut out of a longer response (the transfer markers apply). */
  default boolean extractsFinalAnswer() {
    return false;
  }

  /** Whether the judge grades in English (against the English reference) rather than the condition's language. */
  default boolean judgedInEnglish() {
    return false;
  }

  /** The name of the language the judge grades in, as the judge prompt gives it. */
  default String judgedLanguageName(PipelineDefinition definition, PipelineDefinition.Condition c) {
    return judgedInEnglish() ? ENGLISH : languageName(definition, c.language());
  }

  /** The ISO 639-3 code of the language the graded text should be in ({@code und} if unknown). */
  default String judgedIso6393(PipelineDefinition definition, PipelineDefinition.Condition c) {
    return judgedInEnglish() ? "eng"
        : definition.language(c.language()).map(PipelineDefinition.Language::iso6393).orElse("und");
  }

  String ENGLISH = "English";

  /** One model call as a strategy describes it; the pipeline adds the epoch and makes the call. */
  record Prompt(String stage, String model, String system, String user) implements Serializable {}

  /** A graded text and how it was found. */
  record Graded(String text, String extraction) implements Serializable {}

  static String languageName(PipelineDefinition definition, String code) {
    return definition.language(code).map(PipelineDefinition.Language::name).orElse(code);
  }

  /** The model that translates for a tuple: the condition's translator, else the model itself. */
  static String translator(PipelineDefinition.Condition c, EvaluationTuple t) {
    return c.translator() != null ? c.translator() : t.model();
  }

  /** The question translated from the tuple's language into English. */
  static Prompt translateQuestion(PipelineDefinition definition, PipelineDefinition.Condition c, EvaluationTuple t) {
    return new Prompt(TRANSLATE_QUESTION, translator(c, t), definition.promptsOrDefault()
        .translate(languageName(definition, t.language()), ENGLISH), t.questionText());
  }

  static IllegalArgumentException unknownStage(ConditionType type, String stage) {
    return new IllegalArgumentException(type.name() + " has no stage " + stage);
  }
}
