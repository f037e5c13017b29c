package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * A response joined with its grade and enriched: the keys, the study's grouping (language, family,
 * category), the judge's score per rubric criterion, the evaluated text (the whole response, or the final answer of a
 * self-transfer response) and its word count, and what language identification found in it.
 *
 * @param extraction how the evaluated text was found: {@code whole}, {@code marker} (after the step-3
 *     marker) or {@code last-third} (the fallback rule)
 * <p>The report's join leaves {@code evaluatedText} null: the text stays in its results file until the
 * enriched responses are written ({@link ResponseFacts}).
 *
 * @param recordedWords the {@code response_length} the grades file recorded, kept to check our count
 * @param language language facts of the evaluated text, or null when language identification was off
 * @param finishReason the provider's finish reason of the answer, where the results file records it
 * @param modelVersion the model version the provider reported, where the results file records it
 */
public record EvaluatedResponse(
    String condition,
    String conditionType,
    String language,
    String model,
    String family,
    int questionId,
    String category,
    Score score,
    double responseTimeSeconds,
    String evaluatedText,
    String extraction,
    int words,
    int recordedWords,
    String notes,
    LanguageFacts languageFacts,
    int epoch,
    String finishReason,
    String modelVersion) {

  public EvaluatedResponse(String condition, String conditionType, String language, String model, String family,
      int questionId, String category, Score score, double responseTimeSeconds,
      String evaluatedText, String extraction, int words, int recordedWords, String notes,
      LanguageFacts languageFacts, int epoch) {
    this(condition, conditionType, language, model, family, questionId, category, score, responseTimeSeconds,
        evaluatedText, extraction, words, recordedWords, notes, languageFacts, epoch, null, null);
  }

  /** This response with what the provider said about its answer. */
  public EvaluatedResponse withProvider(String finish, String version) {
    return new EvaluatedResponse(condition, conditionType, language, model, family, questionId,
        category, score, responseTimeSeconds, evaluatedText, extraction,
        words, recordedWords, notes, languageFacts, epoch, finish, version);
  }

  public int total() {
    return score.total();
  }

  public String key() {
    return TupleKey.of(condition, model, questionId);
  }

  public EvaluatedResponse withLanguageFacts(LanguageFacts facts) {
    return new EvaluatedResponse(condition, conditionType, language, model, family, questionId,
        category, score, responseTimeSeconds, evaluatedText, extraction,
        words, recordedWords, notes, facts, epoch, finishReason, modelVersion);
  }

  public static Coder<EvaluatedResponse> coder() {
    return EvaluatedCoder.INSTANCE;
  }

  private static final class EvaluatedCoder extends AtomicCoder<EvaluatedResponse> {
    static final EvaluatedCoder INSTANCE = new EvaluatedCoder();

    @Override
    public void encode(EvaluatedResponse r, OutputStream out) throws IOException {
      Wire.symbol(r.condition, out);
      Wire.symbol(r.conditionType, out);
      Wire.symbol(r.language, out);
      Wire.symbol(r.model, out);
      Wire.symbol(r.family, out);
      Wire.integer(r.questionId, out);
      Wire.symbol(r.category, out);
      Score.encode(r.score, out);
      Wire.doubleValue(r.responseTimeSeconds, out);
      Wire.nullableString(r.evaluatedText, out);
      Wire.symbol(r.extraction, out);
      Wire.integer(r.words, out);
      Wire.integer(r.recordedWords, out);
      Wire.string(r.notes, out);
      LanguageFacts.encodeNullable(r.languageFacts, out);
      Wire.integer(r.epoch, out);
      Wire.nullableString(r.finishReason, out);
      Wire.nullableString(r.modelVersion, out);
    }

    @Override
    public EvaluatedResponse decode(InputStream in) throws IOException {
      return new EvaluatedResponse(
          Wire.symbol(in), Wire.symbol(in), Wire.symbol(in), Wire.symbol(in), Wire.symbol(in),
          Wire.integer(in), Wire.symbol(in), Score.decode(in), Wire.doubleValue(in), Wire.nullableString(in),
          Wire.symbol(in), Wire.integer(in), Wire.integer(in), Wire.string(in), LanguageFacts.decodeNullable(in), Wire.integer(in),
          Wire.nullableString(in), Wire.nullableString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
