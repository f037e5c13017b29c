package dev.cltbench.langid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sentence and word splitting for identification and the metrics. A simple rule (line breaks, and
 * '.', '!', '?', '。' followed by white space) suffices: model answers are Markdown with one sentence,
 * heading or list item per line far more often than not, and OpenNLP's trained sentence detectors do
 * not cover Kazakh, Kyrgyz or Mongolian.
 */
final class Segments {
  private Segments() {}

  /**
   * The sentences of a text, stripped, empty ones left out: split at line breaks (as regex {@code \\R})
   * and after '.', '!', '?' or '。' followed by white space (as {@code \\s}). A hand-written scan:
   * the same split with {@code String.split} compiled two regular expressions per call, which showed
   * in the cost of the metrics.
   */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (isLineBreak(c)) {
        addStripped(text, start, i, out);
        start = i + 1;
      } else if ((c == '.' || c == '!' || c == '?' || c == '。') && i + 1 < n
          && isRegexSpace(text.charAt(i + 1))) {
        addStripped(text, start, i + 1, out);
        start = i + 1;
      }
    }
    addStripped(text, start, n, out);
    return out;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u0085' || c == '\u2028'
        || c == '\u2029';
  }

  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static void addStripped(String text, int from, int to, List<String> out) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    if (from < to) {
      out.add(text.substring(from, to));
    }
  }

  /**
   * {@link Character#isLetter(char)}, with basic Latin, Latin-1 and Latin Extended-A/B and the Cyrillic
   * blocks decided by range: the metrics test every character of every text several times, and the
   * JDK's table lookup was a visible part of their cost. {@code SegmentsTest} checks it against the
   * JDK for every char.
   */
  static boolean isLetter(char c) {
    if (c < 0x80) {
      int lower = (c | 0x20) - 'a';
      return lower >= 0 && lower < 26;
    }
    if (c >= 0x400 && c <= 0x52F) {
      return c < 0x482 || c > 0x489; // ҂ and the combining marks are the block's only non-letters
    }
    if (c >= 0xC0 && c <= 0x24F) {
      return c != 0xD7 && c != 0xF7; // × and ÷
    }
    return Character.isLetter(c);
  }

  /**
   * The script of a letter ({@code c} must be a letter): Latin and Cyrillic blocks directly, since every
   * letter in them is of that script, and {@link Character.UnicodeScript#of} (a binary search over
   * all of Unicode) for the rest.
   */
  static Character.UnicodeScript script(char c) {
    if (c < 0x80 || (c >= 0xC0 && c <= 0x24F)) {
      return Character.UnicodeScript.LATIN;
    }
    if (c >= 0x400 && c <= 0x52F) {
      return Character.UnicodeScript.CYRILLIC;
    }
    return Character.UnicodeScript.of(c);
  }

  /** Lower-cased words: maximal runs of letters (a hyphen or apostrophe inside a word splits it). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean letter = i < text.length() && Segments.isLetter(text.charAt(i));
      if (letter && start < 0) {
        start = i;
      } else if (!letter && start >= 0) {
        out.add(lowerCase(text, start, i));
        start = -1;
      }
    }
    return out;
  }

  /** {@code text.substring(from, to).toLowerCase(Locale.ROOT)} with one allocation where every
   * character lower-cases to one (all but a few, Turkish İ and Greek Σ, left to the JDK). */
  private static String lowerCase(String text, int from, int to) {
    char[] out = new char[to - from];
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == 'İ' || c == 'Σ' || Character.isSurrogate(c)) {
        return text.substring(from, to).toLowerCase(Locale.ROOT);
      }
      out[i - from] = lowerCase(c);
    }
    return new String(out);
  }

  /**
   * {@link Character#toLowerCase(char)}, with basic Latin and the Cyrillic blocks (U+0400-U+052F)
   * mapped by their regular pattern: the JDK's general mapping is a 3 kB method whose JIT compilation
   * was a visible part of what identification added to a report. {@code SegmentsTest} checks it
   * against the JDK for every char.
   */
  static char lowerCase(char c) {
    if (c < 0x80) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
    if (c < 0x400 || c > 0x52F) {
      return Character.toLowerCase(c);
    }
    if (c < 0x410) {
      return (char) (c + 0x50); // Ѐ..Џ
    }
    if (c < 0x430) {
      return (char) (c + 0x20); // А..Я
    }
    if (c < 0x460) {
      return c; // а..џ
    }
    if (c == 0x4C0) {
      return 0x4CF; // Ӏ
    }
    if (c >= 0x482 && c < 0x48A) {
      return c; // signs and combining marks
    }
    if (c > 0x4C0 && c < 0x4CF) {
      return (c & 1) == 1 ? (char) (c + 1) : c; // Ӂ..Ӎ: capitals at odd code points
    }
    return (c & 1) == 0 && c != 0x4CF ? (char) (c + 1) : c; // pairs: capital at the even code point
  }

  static int letters(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Segments.isLetter(text.charAt(i))) {
        n++;
      }
    }
    return n;
  }
}
