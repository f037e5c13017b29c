package dev.cltbench.study;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the evaluated final answer of a self-transfer response (translate, answer, translate back in one
 * call): the text after the first step-3 marker, or, with no marker, the last third of the lines of a
 * response of six or more lines, else the whole response. The rule is the published study's (its data
 * README); the marker words come from the pipeline definition so a new language needs no code change.
 */
public final class FinalAnswerExtractor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TransferMarkers markers;
  private transient Pattern pattern;

  public FinalAnswerExtractor(TransferMarkers markers) {
    this.markers = markers;
  }

  Pattern pattern() {
    if (pattern == null) {
      String step = alternatives(markers.stepWords());
      String n = Pattern.quote(Integer.toString(markers.finalStep()));
      String headings = alternatives(markers.headings());
      // Optional spaces and 1-3 '#', then "3" + optional '-', '.' or ':' + the step word, or the step
      // word + "3", or a heading (prefixes of longer words match, so no word boundary at the end).
      pattern =
          Pattern.compile(
              "^[ \\t]*(?:#{1,3}[ \\t]*)?(?:"
                  + n + "[-.:]?[ \\t]*" + step
                  + "|" + step + "[ \\t]*" + n
                  + "|" + headings + ")",
              Pattern.MULTILINE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
    return pattern;
  }

  private static String alternatives(List<String> words) {
    return words.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")"));
  }

  /** The final answer of a transfer response and the rule that found it. */
  public record Extraction(String text, Rule rule) {}

  /** After a step-3 marker; the last third of six or more lines; or the whole response. */
  public enum Rule { MARKER, LAST_THIRD, WHOLE }

  /** The final answer of a transfer response, trimmed. */
  public String extract(String response) {
    return extraction(response).text();
  }

  /** The final answer and its rule, from one search for the marker. */
  public Extraction extraction(String response) {
    int end = markerEnd(response);
    if (end >= 0) {
      return new Extraction(response.substring(end).strip(), Rule.MARKER);
    }
    String whole = response.strip();
    String[] lines = response.split("\n", -1);
    if (lines.length >= 6) {
      int keep = lines.length / 3;
      String last = String.join("\n", List.of(lines).subList(lines.length - keep, lines.length)).strip();
      return new Extraction(last, last.equals(whole) ? Rule.WHOLE : Rule.LAST_THIRD);
    }
    return new Extraction(whole, Rule.WHOLE);
  }

  /** Where the first marker ends, or -1. */
  private int markerEnd(String response) {
    Matcher m = pattern().matcher(response);
    return LineStartSearch.find(m, response, 0) ? m.end() : -1;
  }

  /**
   * Whitespace-separated words, counting Unicode spaces (no-break spaces too) as the study's own
   * counter did.
   */
  public static int countWords(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = isSpace(text.charAt(i));
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }

  /**
   * {@code Character.isWhitespace(c) || Character.isSpaceChar(c)}, with ASCII and the Cyrillic blocks
   * decided by range (the JDK's two table lookups for every character of every answer were a visible
   * part of the report's cost). {@code FinalAnswerExtractorTest} checks it against the JDK for every
   * char.
   */
  static boolean isSpace(char c) {
    if (c < 0x80) {
      return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    }
    if (c >= 0x400 && c <= 0x52F) {
      return false;
    }
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
