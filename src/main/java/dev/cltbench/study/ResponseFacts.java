package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * What the report needs of one recorded response once its text is measured: its keys, its time, how
 * the graded text was found and its word count, and what language identification found in it. The
 * texts stay in the results file ({@code source}) and are read again where the enriched responses are
 * written, so no step between holds them: at 100 times the published study they were most of the
 * report's memory and most of what its GroupByKeys copied.
 *
 * @param extraction how the evaluated text was found: {@code whole}, {@code marker} or {@code last-third}
 * @param words words in the evaluated text
 * @param languageFacts language facts of the evaluated text, or null when language identification was off
 */
public record ResponseFacts(
    String condition,
    String model,
    int questionId,
    int epoch,
    String category,
    double responseTimeSeconds,
    String extraction,
    int words,
    LanguageFacts languageFacts,
    String source,
    String finishReason,
    String modelVersion) {

  /** As {@link ResponseRecord#key}. */
  public String key() {
    return TupleKey.of(condition, model, questionId, epoch);
  }

  public static Coder<ResponseFacts> coder() {
    return FactsCoder.INSTANCE;
  }

  private static final class FactsCoder extends AtomicCoder<ResponseFacts> {
    static final FactsCoder INSTANCE = new FactsCoder();

    @Override
    public void encode(ResponseFacts r, OutputStream out) throws IOException {
      Wire.symbol(r.condition, out);
      Wire.symbol(r.model, out);
      Wire.integer(r.questionId, out);
      Wire.integer(r.epoch, out);
      Wire.symbol(r.category, out);
      Wire.doubleValue(r.responseTimeSeconds, out);
      Wire.symbol(r.extraction, out);
      Wire.integer(r.words, out);
      LanguageFacts.encodeNullable(r.languageFacts, out);
      Wire.symbol(r.source, out);
      Wire.nullableString(r.finishReason, out);
      Wire.nullableString(r.modelVersion, out);
    }

    @Override
    public ResponseFacts decode(InputStream in) throws IOException {
      return new ResponseFacts(Wire.symbol(in), Wire.symbol(in), Wire.integer(in), Wire.integer(in),
          Wire.symbol(in), Wire.doubleValue(in), Wire.symbol(in), Wire.integer(in),
          LanguageFacts.decodeNullable(in), Wire.symbol(in), Wire.nullableString(in), Wire.nullableString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
