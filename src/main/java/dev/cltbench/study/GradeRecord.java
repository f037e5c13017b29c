package dev.cltbench.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * One judge grade, as in a row of {@code grades/<condition dir>.csv}: a score per rubric criterion;
 * {@code source} is file:line.
 */
public record GradeRecord(
    String condition,
    String model,
    int questionId,
    String category,
    Score score,
    double responseTime,
    int responseLength,
    String notes,
    String source,
    int epoch) {

  public int total() {
    return score.total();
  }

  public String key() {
    return TupleKey.of(condition, model, questionId, epoch);
  }

  public static Coder<GradeRecord> coder() {
    return GradeCoder.INSTANCE;
  }

  private static final class GradeCoder extends AtomicCoder<GradeRecord> {
    static final GradeCoder INSTANCE = new GradeCoder();

    @Override
    public void encode(GradeRecord g, OutputStream out) throws IOException {
      Wire.symbol(g.condition, out);
      Wire.symbol(g.model, out);
      Wire.integer(g.questionId, out);
      Wire.symbol(g.category, out);
      Score.encode(g.score, out);
      Wire.doubleValue(g.responseTime, out);
      Wire.integer(g.responseLength, out);
      Wire.string(g.notes, out);
      Wire.string(g.source, out);
      Wire.integer(g.epoch, out);
    }

    @Override
    public GradeRecord decode(InputStream in) throws IOException {
      return new GradeRecord(
          Wire.symbol(in), Wire.symbol(in), Wire.integer(in), Wire.symbol(in), Score.decode(in),
          Wire.doubleValue(in), Wire.integer(in),
          Wire.string(in), Wire.string(in), Wire.integer(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
