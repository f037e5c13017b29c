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
}
