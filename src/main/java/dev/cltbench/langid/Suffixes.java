package dev.cltbench.langid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Word endings, each with a bit set, grouped by their last letter: a word's last letter picks the few
 * to test with {@code endsWith}, without cutting substrings. The identifier and the Kyrgyz-form test
 * both check every word of every text against their suffixes.
 */
final class Suffixes {
  private final String lastLetters;
  private final String[][] byLastLetter;
  private final int[][] bitsByLastLetter;

  /** {@code bits}: each suffix and the bits it stands for. */
  Suffixes(Map<String, Integer> bits) {
    Map<Character, List<String>> byLast = new TreeMap<>();
    new TreeMap<>(bits).keySet().forEach(s -> byLast.computeIfAbsent(s.charAt(s.length() - 1),
        c -> new ArrayList<>()).add(s));
    StringBuilder last = new StringBuilder();
    byLastLetter = new String[byLast.size()][];
    bitsByLastLetter = new int[byLast.size()][];
    int g = 0;
    for (Map.Entry<Character, List<String>> e : byLast.entrySet()) {
      last.append(e.getKey());
      byLastLetter[g] = e.getValue().toArray(String[]::new);
      bitsByLastLetter[g] = e.getValue().stream().mapToInt(bits::get).toArray();
      g++;
    }
    lastLetters = last.toString();
  }

  /** The bits of every suffix {@code word} ends with, or-ed; 0 when it ends with none. */
  int bitsOf(String word) {
    int g = word.isEmpty() ? -1 : lastLetters.indexOf(word.charAt(word.length() - 1));
    if (g < 0) {
      return 0;
    }
    int bits = 0;
    String[] suffixes = byLastLetter[g];
    for (int k = 0; k < suffixes.length; k++) {
      if (word.endsWith(suffixes[k])) {
        bits |= bitsByLastLetter[g][k];
      }
    }
    return bits;
  }
}
