package dev.cltbench.study;

import java.util.regex.Matcher;

/**
 * {@link Matcher#find(int)} for a pattern that begins with {@code ^} in {@code MULTILINE} mode (and has no
 * other anchor or lookbehind), trying the pattern at line starts only. Java's regex engine tries such a
 * pattern at every character and lets {@code ^} fail there; on long answers that scan was most of the
 * cost of the markers' searches. Hand-written because the JDK has no line-anchored search.
 */
public final class LineStartSearch {
  private LineStartSearch() {}

  /**
   * Whether the pattern of {@code m} (a matcher over {@code text}) matches at a line start at or after
   * {@code from}; if so {@code m} holds the first such match, as {@code m.find(from)} would.
   */
  public static boolean find(Matcher m, String text, int from) {
    int n = text.length();
    for (int at = isLineStart(text, from) ? from : nextLineStart(text, from); at < n;
        at = nextLineStart(text, at)) {
      if (m.region(at, n).lookingAt()) {
        return true;
      }
    }
    return false;
  }

  /** Where {@code MULTILINE}'s {@code ^} can match: the start, and after any of Java's line terminators
   * (without {@code UNIX_LINES}), "\r\n" counting as one. */
  static boolean isLineStart(String s, int at) {
    if (at == 0) {
      return true;
    }
    if (at > s.length()) {
      return false;
    }
    char c = s.charAt(at - 1);
    return c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029'
        || c == '\r' && (at == s.length() || s.charAt(at) != '\n');
  }

  /** The start of the line after the one holding {@code from}; the text's length if none follows. */
  static int nextLineStart(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return i + 1;
      }
      if (c == '\r') {
        return i + 1 < s.length() && s.charAt(i + 1) == '\n' ? i + 2 : i + 1;
      }
    }
    return s.length();
  }
}
