package dev.cltbench.stats;

import dev.cltbench.study.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;

/**
 * The mergeable summary of a group of graded responses: counts and exact sums, plus the histogram of
 * total scores (all a bootstrap of the mean score needs). Sums are integers, and response times are
 * summed as exact decimals, so the result does not depend on the order in which a runner merges
 * partial summaries: the same input gives byte-identical tables on every runner.
 */
public final class ScoreSummary {
  private long count;
  private long accuracy;
  private long fluency;
  private long completeness;
  private long words;
  private BigDecimal seconds;
  private long[] totals;

  public ScoreSummary(int maxTotal) {
    this.seconds = BigDecimal.ZERO;
    this.totals = new long[maxTotal + 1];
  }

  private ScoreSummary(long count, long accuracy, long fluency, long completeness, long words,
      BigDecimal seconds, long[] totals) {
    this.count = count;
    this.accuracy = accuracy;
    this.fluency = fluency;
    this.completeness = completeness;
    this.words = words;
    this.seconds = seconds;
    this.totals = totals;
  }

  public ScoreSummary add(int acc, int flu, int comp, double timeSeconds, int wordCount) {
    count++;
    accuracy += acc;
    fluency += flu;
    completeness += comp;
    words += wordCount;
    seconds = seconds.add(new BigDecimal(timeSeconds));
    totals[acc + flu + comp]++;
    return this;
  }

  public ScoreSummary merge(ScoreSummary other) {
    count += other.count;
    accuracy += other.accuracy;
    fluency += other.fluency;
    completeness += other.completeness;
    words += other.words;
    seconds = seconds.add(other.seconds);
    if (other.totals.length > totals.length) {
      totals = Arrays.copyOf(totals, other.totals.length);
    }
    for (int i = 0; i < other.totals.length; i++) {
      totals[i] += other.totals[i];
    }
    return this;
  }

  public long count() {
    return count;
  }

  /** Mean total score as a percentage of {@code maxTotal}. */
  public double scorePct(int maxTotal) {
    long sum = 0;
    for (int t = 0; t < totals.length; t++) {
      sum += t * totals[t];
    }
    return pct(sum, maxTotal);
  }

  public double accuracyPct(int max) {
    return pct(accuracy, max);
  }

  public double fluencyPct(int max) {
    return pct(fluency, max);
  }

  public double completenessPct(int max) {
    return pct(completeness, max);
  }

  private double pct(long sum, int max) {
    return count == 0 ? Double.NaN : sum * 100.0 / ((double) count * max);
  }

  public double meanSeconds() {
    return count == 0 ? Double.NaN
        : seconds.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue();
  }

  public double meanWords() {
    return count == 0 ? Double.NaN : (double) words / count;
  }

  /** The total scores, one per response, in ascending order (deterministic input to a bootstrap). */
  public double[] sortedTotals() {
    double[] out = new double[(int) count];
    int i = 0;
    for (int t = 0; t < totals.length; t++) {
      for (long k = 0; k < totals[t]; k++) {
        out[i++] = t;
      }
    }
    return out;
  }

  public static Coder<ScoreSummary> coder() {
    return SummaryCoder.INSTANCE;
  }

  private static final class SummaryCoder extends AtomicCoder<ScoreSummary> {
    static final SummaryCoder INSTANCE = new SummaryCoder();

    @Override
    public void encode(ScoreSummary s, OutputStream out) throws IOException {
      Wire.longValue(s.count, out);
      Wire.longValue(s.accuracy, out);
      Wire.longValue(s.fluency, out);
      Wire.longValue(s.completeness, out);
      Wire.longValue(s.words, out);
      Wire.string(s.seconds.toString(), out);
      Wire.integer(s.totals.length, out);
      for (long t : s.totals) {
        Wire.longValue(t, out);
      }
    }

    @Override
    public ScoreSummary decode(InputStream in) throws IOException {
      long count = Wire.longValue(in);
      long acc = Wire.longValue(in);
      long flu = Wire.longValue(in);
      long comp = Wire.longValue(in);
      long words = Wire.longValue(in);
      BigDecimal seconds = new BigDecimal(Wire.string(in));
      long[] totals = new long[Wire.integer(in)];
      for (int i = 0; i < totals.length; i++) {
        totals[i] = Wire.longValue(in);
      }
      return new ScoreSummary(count, acc, flu, comp, words, seconds, totals);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
