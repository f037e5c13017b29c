package dev.cltbench.study;

import java.util.Locale;

/**
 * The key of one evaluated tuple (condition, model, question). Zero-padded so that keys sort in the
 * natural order of question ids, which keeps every sorted output stable across runners.
 */
public final class TupleKey {
  private TupleKey() {}

  public static String of(String condition, String model, int questionId) {
    return condition + "|" + model + "|" + padded(questionId);
  }

  /** The key of one epoch's tuple: the first epoch's (0) is {@link #of(String, String, int)}'s. */
  public static String of(String condition, String model, int questionId, int epoch) {
    String key = of(condition, model, questionId);
    return epoch == 0 ? key : key + "|e" + epoch;
  }

  /**
   * Question ids per {@link #block}: as many as {@code responses.jsonl}'s parts hold, so the 100x
   * synthetic study (5,000 questions) joins in 200 groups, not 2,000 (every group was a bundle through
   * each of the DirectRunner's steps after the join); a group holds one model's answers to 1,000
   * questions under one condition, a few megabytes.
   */
  public static final int BLOCK = 1000;

  /**
   * The key of the block of {@link #BLOCK} consecutive question ids that a tuple belongs to. Joins and
   * pairings group by block rather than by tuple: a group stays small (bounded memory, however many
   * questions a study has), while runners with a cost per key (the DirectRunner hands every key of a
   * GroupByKey to its own bundle) see a thousandth of the keys.
   */
  public static String block(String condition, String model, int questionId) {
    return condition + "|" + model + "|" + padded(questionId / BLOCK);
  }

  /** {@code n} as {@code %08d} formats it, without a Formatter per key (keys are made per tuple). */
  static String padded(int n) {
    if (n < 0) {
      return String.format(Locale.ROOT, "%08d", n);
    }
    String digits = Integer.toString(n);
    return digits.length() >= 8 ? digits : "00000000".substring(digits.length()) + digits;
  }
}
