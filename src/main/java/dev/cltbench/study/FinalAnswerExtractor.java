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

  private Pattern pattern() {
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

  /** The final answer of a transfer response, trimmed. */
  public String extract(String response) {
    Matcher m = pattern().matcher(response);
    if (m.find()) {
      return response.substring(m.end()).strip();
    }
    String[] lines = response.split("\n", -1);
    if (lines.length >= 6) {
      int keep = lines.length / 3;
      return String.join("\n", List.of(lines).subList(lines.length - keep, lines.length)).strip();
    }
    return response.strip();
  }

  /** Whether the response has a step-3 marker at all (else the fallback rule was used). */
  public boolean hasMarker(String response) {
    return pattern().matcher(response).find();
  }

  /**
   * Whitespace-separated words, counting Unicode spaces (no-break spaces too) as the study's own
   * counter did.
   */
  public static int countWords(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c);
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }
}
