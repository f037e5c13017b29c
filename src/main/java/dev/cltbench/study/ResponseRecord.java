package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * One recorded model response, as in {@code results/<condition dir>/<model>.json}; the provider's
 * finish reason and model version where the file records them (live runs), else null.
 */
public record ResponseRecord(
    String condition,
    String model,
    int questionId,
    String category,
    String questionText,
    String response,
    double responseTimeSeconds,
    String source,
    int epoch,
    String finishReason,
    String modelVersion) {

  public ResponseRecord(String condition, String model, int questionId, String category, String questionText,
      String response, double responseTimeSeconds, String source, int epoch) {
    this(condition, model, questionId, category, questionText, response, responseTimeSeconds, source, epoch,
        null, null);
  }

  /** The join key of a response with its grade (its epoch too, when it is a repeat). */
  public String key() {
    return TupleKey.of(condition, model, questionId, epoch);
  }

  public static Coder<ResponseRecord> coder() {
    return ResponseCoder.INSTANCE;
  }

  private static final class ResponseCoder extends AtomicCoder<ResponseRecord> {
    static final ResponseCoder INSTANCE = new ResponseCoder();

    @Override
    public void encode(ResponseRecord r, OutputStream out) throws IOException {
      Wire.string(r.condition, out);
      Wire.string(r.model, out);
      Wire.integer(r.questionId, out);
      Wire.string(r.category, out);
      Wire.string(r.questionText, out);
      Wire.string(r.response, out);
      Wire.doubleValue(r.responseTimeSeconds, out);
      Wire.string(r.source, out);
      Wire.integer(r.epoch, out);
      Wire.nullableString(r.finishReason, out);
      Wire.nullableString(r.modelVersion, out);
    }

    @Override
    public ResponseRecord decode(InputStream in) throws IOException {
      return new ResponseRecord(
          Wire.string(in), Wire.string(in), Wire.integer(in), Wire.string(in), Wire.string(in),
          Wire.string(in), Wire.doubleValue(in), Wire.string(in), Wire.integer(in), Wire.nullableString(in),
          Wire.nullableString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
