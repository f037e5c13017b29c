package dev.cltbench.langid;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the published judge's wrong-language verdict from its free-text note. The rubric gives a
 * wrong-language answer fluency 0, and the judge names the language it saw ("Response is in Kyrgyz, not
 * Kazakh", "mixing Kazakh and Kyrgyz", "Kyrgyz-influenced"). The judge's flag is: fluency 0 and the note
 * names another language than the expected one <em>as the text's language</em>, that is next to a word
 * about language (in, is, mixed, contains, markers, text, script, not, "-influenced", ...). Mentions that
 * are about the question's topic ("the Mongolian dish", "question about Kazakh zhuz") have no such word
 * right before or after them; clauses about the question or about what the answer should have been ("Question is in
 * Mongolian", "answer should be in Mongolian") are skipped.
 */
public final class JudgeLanguageFlag {
  private JudgeLanguageFlag() {}

  static final Map<String, String> NAMES = Map.of(
      "english", "eng", "kazakh", "kaz", "kyrgyz", "kir", "mongolian", "mon", "russian", "rus",
      "tatar", "tat", "bashkir", "bak", "uzbek", "uzb", "turkish", "tur");

  private static final Pattern NAME = Pattern.compile(
      "\\b(" + String.join("|", NAMES.keySet()) + ")\\b", Pattern.CASE_INSENSITIVE);
  private static final List<String> BEFORE = List.of(
      "in", "is", "be", "mixing", "mixed", "contains", "heavy", "actually",
      "likely", "appears", "with", "or");
  private static final Pattern AFTER = Pattern.compile(
      "^(?:\\s*,?\\s*not\\b|\\s+(?:instead|markers|text|elements|script|scripts|forms|words|vocabulary|"
          + "phonology|contamination)\\b|-(?:influenced|instead|like)\\b|/|\\))",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SKIP_CLAUSE = Pattern.compile(
      "^\\s*(?:question|q\\d+|target|correct)\\b|should be", Pattern.CASE_INSENSITIVE);

  /**
   * The language (ISO 639-3) the judge says the text is in instead of {@code expected}, or null when the
   * judge did not flag a wrong language.
   */
  public static String found(int fluency, String note, String expected) {
    if (fluency != 0 || note == null) {
      return null;
    }
    for (String clause : note.split("[.;!?]|—|\\bbut\\b")) {
      if (SKIP_CLAUSE.matcher(clause).find()) {
        continue;
      }
      Matcher m = NAME.matcher(clause);
      while (m.find()) {
        String iso = NAMES.get(m.group(1).toLowerCase(Locale.ROOT));
        if (iso.equals(expected)) {
          continue;
        }
        if (cueBefore(clause.substring(0, m.start())) || AFTER.matcher(clause.substring(m.end())).find()) {
          return iso;
        }
      }
    }
    return null;
  }

  private static boolean cueBefore(String before) {
    String[] words = before.toLowerCase(Locale.ROOT).split("[^\\p{L}]+");
    for (int i = Math.max(0, words.length - 1); i < words.length; i++) {
      if (BEFORE.contains(words[i])) {
        return true;
      }
    }
    return false;
  }
}
