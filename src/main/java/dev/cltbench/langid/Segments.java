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

  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\\R")) {
      for (String s : line.split("(?<=[.!?。])\\s+")) {
        String t = s.strip();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Lower-cased words: maximal runs of letters (a hyphen or apostrophe inside a word splits it). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean letter = i < text.length() && Character.isLetter(text.charAt(i));
      if (letter && start < 0) {
        start = i;
      } else if (!letter && start >= 0) {
        out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
    }
    return out;
  }

  static int letters(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isLetter(text.charAt(i))) {
        n++;
      }
    }
    return n;
  }
}
