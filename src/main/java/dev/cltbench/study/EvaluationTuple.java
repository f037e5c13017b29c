package dev.cltbench.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * One (question, model, condition) tuple of a live run on its way through the steps: every model call
 * made for it (translations, the answer, back-translation), the evaluated text, the judges' verdicts,
 * or the failure that stopped it. Every intermediate text is kept so the outputs can show it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationTuple(
    String condition,
    String model,
    int questionId,
    String category,
    String language,
    String questionText,
    String referenceAnswer,
    List<Step> steps,
    String evaluatedText,
    String extraction,
    List<Judgment> judgments,
    Failure failure,
    int epoch) implements Serializable {

  /** The first (or only) epoch of a tuple. */
  public EvaluationTuple(String condition, String model, int questionId, String category, String language,
      String questionText, String referenceAnswer, List<Step> steps, String evaluatedText, String extraction,
      List<Judgment> judgments, Failure failure) {
    this(condition, model, questionId, category, language, questionText, referenceAnswer, steps,
        evaluatedText, extraction, judgments, failure, 0);
  }

  /**
   * One model call: what it was for, who answered, what it said and what it cost. Tokens are as the
   * provider reported them: {@code outputTokens} include reasoning, {@code reasoningTokens} is that
   * share where the provider says; {@code billedInputTokens}/{@code billedOutputTokens} are set where the
   * provider bills other units (Cohere). {@code finishReason} and {@code modelVersion} are the
   * provider's own words; {@code attempts} the HTTP requests made (0 for a cached or recorded answer);
   * {@code truncated} is true for an answer cut at max_tokens that the model's on_truncation grades;
   * {@code failure} names the kind of a failed call kept for what it cost (a judge's), else null;
   * {@code reasoning} is the model's reasoning trace, kept apart from {@code output} (the answer): it is
   * written as a step of its own and never graded, identified or counted as the answer.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(String stage, String model, String system, String input, String output,
      long inputTokens, long outputTokens, long latencyMs, boolean cached, long reasoningTokens,
      Long billedInputTokens, Long billedOutputTokens, String finishReason, String modelVersion, int attempts,
      Boolean truncated, String failure, String reasoning) implements Serializable {

    /** The stage name a reasoning trace is written under: its call's stage and this suffix. */
    public static final String REASONING_SUFFIX = ":reasoning";

    public Step(String stage, String model, String system, String input, String output, long inputTokens,
        long outputTokens, long latencyMs, boolean cached, long reasoningTokens, Long billedInputTokens,
        Long billedOutputTokens, String finishReason, String modelVersion, int attempts, Boolean truncated,
        String failure) {
      this(stage, model, system, input, output, inputTokens, outputTokens, latencyMs, cached, reasoningTokens,
          billedInputTokens, billedOutputTokens, finishReason, modelVersion, attempts, truncated, failure, null);
    }

    /** A call's answer without provider details (recorded answers, plans). */
    public Step(String stage, String model, String system, String input, String output, long inputTokens,
        long outputTokens, long latencyMs, boolean cached) {
      this(stage, model, system, input, output, inputTokens, outputTokens, latencyMs, cached, 0, null, null,
          null, null, 0, null, null);
    }

    public long billedInput() {
      return billedInputTokens != null ? billedInputTokens : inputTokens;
    }

    public long billedOutput() {
      return billedOutputTokens != null ? billedOutputTokens : outputTokens;
    }
  }

  /**
   * Why a tuple could not be graded. {@code status} is the HTTP status, or -1 for none; {@code kind}
   * is {@code truncated}, {@code no_text}, {@code refused} or {@code budget} where the reply said so
   * (null for HTTP and I/O failures); {@code call} is the failed call with its tokens, finish reason
   * and attempts (its output the cut text of a truncated answer), or null when no call was made.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Failure(String stage, String provider, int status, String reason, String kind, Step call)
      implements Serializable {
    public Failure(String stage, String provider, int status, String reason) {
      this(stage, provider, status, reason, null, null);
    }
  }

  public EvaluationTuple {
    steps = List.copyOf(steps == null ? List.of() : steps);
    judgments = List.copyOf(judgments == null ? List.of() : judgments);
  }

  /** Unique per tuple and epoch. */
  public String key() {
    return TupleKey.of(condition, model, questionId, epoch);
  }

  public EvaluationTuple withEpoch(int e) {
    return new EvaluationTuple(condition, model, questionId, category, language, questionText,
        referenceAnswer, steps, evaluatedText, extraction, judgments, failure, e);
  }

  public EvaluationTuple withStep(Step step) {
    List<Step> s = new ArrayList<>(steps);
    s.add(step);
    return new EvaluationTuple(condition, model, questionId, category, language, questionText,
        referenceAnswer, s, evaluatedText, extraction, judgments, failure, epoch);
  }

  public EvaluationTuple withEvaluated(String text, String how) {
    return new EvaluationTuple(condition, model, questionId, category, language, questionText,
        referenceAnswer, steps, text, how, judgments, failure, epoch);
  }

  public EvaluationTuple withJudgment(Judgment j) {
    List<Judgment> js = new ArrayList<>(judgments);
    js.add(j);
    return new EvaluationTuple(condition, model, questionId, category, language, questionText,
        referenceAnswer, steps, evaluatedText, extraction, js, failure, epoch);
  }

  public EvaluationTuple withFailure(Failure f) {
    return new EvaluationTuple(condition, model, questionId, category, language, questionText,
        referenceAnswer, steps, evaluatedText, extraction, judgments, f, epoch);
  }

  /** The output of the last call made for {@code stage}, or null. */
  public String output(String stage) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).stage().equals(stage)) {
        return steps.get(i).output();
      }
    }
    return null;
  }

  public static Coder<EvaluationTuple> coder() {
    return TupleCoder.INSTANCE;
  }

  /** JSON on the wire: records serialise in component order, so encoding is deterministic. */
  private static final class TupleCoder extends AtomicCoder<EvaluationTuple> {
    static final TupleCoder INSTANCE = new TupleCoder();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public void encode(EvaluationTuple t, OutputStream out) throws IOException {
      Wire.string(MAPPER.writeValueAsString(t), out);
    }

    @Override
    public EvaluationTuple decode(InputStream in) throws IOException {
      return MAPPER.readValue(Wire.string(in), EvaluationTuple.class);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
