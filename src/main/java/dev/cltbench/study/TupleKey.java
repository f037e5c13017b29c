package dev.cltbench.study;

import java.util.Locale;

/**
 * The key of one evaluated tuple (condition, model, question). Zero-padded so that keys sort in the
 * natural order of question ids, which keeps every sorted output stable across runners.
 */
public final class TupleKey {
  private TupleKey() {}

  public static String of(String condition, String model, int questionId) {
    return condition + "|" + model + "|" + String.format(Locale.ROOT, "%08d", questionId);
  }

  /** Question ids per {@link #block}. */
  public static final int BLOCK = 100;

  /**
   * The key of the block of {@link #BLOCK} consecutive question ids that a tuple belongs to. Joins and
   * pairings group by block rather than by tuple: a group stays small (bounded memory, however many
   * questions a study has), while runners with a cost per key (the DirectRunner hands every key of a
   * GroupByKey to its own bundle) see a hundredth of the keys.
   */
  public static String block(String condition, String model, int questionId) {
    return condition + "|" + model + "|" + String.format(Locale.ROOT, "%08d", questionId / BLOCK);
  }
}
