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
 * The mergeable summary of a group of graded responses: counts and exact sums (per rubric criterion), plus the histogram of
 * total scores (all a bootstrap of the mean score needs). Sums are integers, and response times are
 * summed as exact decimals, so the result does not depend on the order in which a runner merges
 * partial summaries: the same input gives byte-identical tables on every runner.
 */
public final class ScoreSummary {
  private long count;
  /** Sums per criterion, in the rubric's order (the order of every score added). */
  private long[] criteria;
  private long words;
  private BigDecimal seconds;
  private long[] totals;

  public ScoreSummary(int maxTotal) {
    this.seconds = BigDecimal.ZERO;
    this.criteria = new long[0];
    this.totals = new long[maxTotal + 1];
  }

  private ScoreSummary(long count, long[] criteria, long words, BigDecimal seconds, long[] totals) {
    this.count = count;
    this.criteria = criteria;
    this.words = words;
    this.seconds = seconds;
    this.totals = totals;
  }

  /** Adds one response: its scores per criterion, in the rubric's order. */
  public ScoreSummary add(int[] scores, double timeSeconds, int wordCount) {
    count++;
    if (criteria.length < scores.length) {
      criteria = Arrays.copyOf(criteria, scores.length);
    }
    int total = 0;
    for (int i = 0; i < scores.length; i++) {
      criteria[i] += scores[i];
      total += scores[i];
    }
    words += wordCount;
    seconds = seconds.add(new BigDecimal(timeSeconds));
    totals[total]++;
    return this;
  }

  public ScoreSummary merge(ScoreSummary other) {
    count += other.count;
    if (criteria.length < other.criteria.length) {
      criteria = Arrays.copyOf(criteria, other.criteria.length);
    }
    for (int i = 0; i < other.criteria.length; i++) {
      criteria[i] += other.criteria[i];
    }
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

  /** Mean score of the {@code index}-th criterion (rubric order) as a percentage of {@code max}. */
  public double criterionPct(int index, int max) {
    return pct(index < criteria.length ? criteria[index] : 0, max);
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
      Wire.integer(s.criteria.length, out);
      for (long c : s.criteria) {
        Wire.longValue(c, out);
      }
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
      long[] criteria = new long[Wire.integer(in)];
      for (int i = 0; i < criteria.length; i++) {
        criteria[i] = Wire.longValue(in);
      }
      long words = Wire.longValue(in);
      BigDecimal seconds = new BigDecimal(Wire.string(in));
      long[] totals = new long[Wire.integer(in)];
      for (int i = 0; i < totals.length; i++) {
        totals[i] = Wire.longValue(in);
      }
      return new ScoreSummary(count, criteria, words, seconds, totals);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
