package dev.cltbench.langid;

import java.util.ArrayList;
import java.util.Arrays;
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
    int[] bounds = sentenceBounds(text);
    List<String> out = new ArrayList<>(bounds.length / 2);
    for (int k = 0; k < bounds.length; k += 2) {
      out.add(text.substring(bounds[k], bounds[k + 1]));
    }
    return out;
  }

  /**
   * Where {@link #sentences} are: start and end (exclusive) of each, in pairs. For callers that read
   * most sentences without needing them as strings: the scan then cuts no substrings, and it stays
   * small for the JIT, which spent over a second compiling the scan with the cutting inlined.
   */
  static int[] sentenceBounds(String text) {
    int[] bounds = new int[32];
    int n = 0;
    int start = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      int end;
      if (isLineBreak(c)) {
        end = i;
      } else if ((c == '.' || c == '!' || c == '?' || c == '。') && i + 1 < length
          && isRegexSpace(text.charAt(i + 1))) {
        end = i + 1;
      } else {
        continue;
      }
      if (n + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, 2 * bounds.length);
      }
      n = addStripped(text, start, end, bounds, n);
      start = i + 1;
    }
    if (n + 2 > bounds.length) {
      bounds = Arrays.copyOf(bounds, n + 2);
    }
    return Arrays.copyOf(bounds, addStripped(text, start, length, bounds, n));
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u0085' || c == '\u2028'
        || c == '\u2029';
  }

  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** Appends {@code [from, to)} without its leading and trailing white space, unless that leaves
   * nothing; returns the new count of ints in {@code bounds}, which has room for two more. */
  private static int addStripped(String text, int from, int to, int[] bounds, int n) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    if (from == to) {
      return n;
    }
    bounds[n] = from;
    bounds[n + 1] = to;
    return n + 2;
  }

  /**
   * {@link Character#isLetter(char)}, with basic Latin, Latin-1 and Latin Extended-A/B, the Cyrillic
   * blocks and General Punctuation decided by range: the metrics test every character of every text
   * several times, and the JDK's table lookup was a visible part of their cost (the study's answers
   * quote with « » and dash with — and –). {@code SegmentsTest} checks it against the JDK for every
   * char.
   */
  static boolean isLetter(char c) {
    if (c < 0x80) {
      int lower = (c | 0x20) - 'a';
      return lower >= 0 && lower < 26;
    }
    if (c < 0xC0) {
      return c == 0xAA || c == 0xB5 || c == 0xBA; // ª µ º: Latin-1's only letters before À
    }
    if (c >= 0x2000 && c <= 0x206F) {
      return false; // General Punctuation: spaces, dashes, quotes, bullets; no letter
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
