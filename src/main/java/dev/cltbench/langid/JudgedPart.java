package dev.cltbench.langid;

import dev.cltbench.study.LineStartSearch;
import dev.cltbench.study.TransferMarkers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The part of a self-transfer answer that the judge graded. The study's extractor
 * ({@link dev.cltbench.study.FinalAnswerExtractor}) only knows markers at the very start of a line, so
 * for answers formatted "**Step 3: ...**", "3. Жауапты қазақ тіліне аудару:" or "3) Хариултыг монгол хэл
 * рүү ..." it falls back to the last third of the lines or the whole response, which still holds the
 * English steps 1 and 2. The judge graded only the translated answer (its notes: "pipeline steps
 * visible but the final Kazakh answer is ..."), so language identification looks at what follows the
 * last final-step marker, found more loosely: after Markdown emphasis or quoting, with ')' after the
 * number, or with a heading later on the numbered line.
 */
public final class JudgedPart {
  private JudgedPart() {}

  /** Fewer letters than this after the marker (an answer cut off after its step-3 title) and the
   * whole evaluated text is kept: that is what the judge had to grade. */
  private static final int MIN_LETTERS = 3;
  /** A rest of the marker line up to this long is the step's title, not answer text. */
  private static final int TITLE_CHARS = 80;

  public static String of(String evaluatedText, TransferMarkers markers) {
    if (evaluatedText == null || markers == null) {
      return evaluatedText;
    }
    Matcher m = pattern(markers).matcher(evaluatedText);
    int end = -1;
    // The last marker (every match holds a step word, so none is empty).
    while (LineStartSearch.find(m, evaluatedText, Math.max(end, 0))) {
      end = m.end();
    }
    if (end < 0) {
      return evaluatedText;
    }
    // The rest of the marker line is the step's title ("**Step 3: Translate the answer back**") when
    // short; otherwise the answer starts on it, after a colon if there is one.
    int eol = evaluatedText.indexOf('\n', end);
    String rest = evaluatedText.substring(end, eol < 0 ? evaluatedText.length() : eol);
    int colon = rest.indexOf(':');
    int from;
    if (rest.length() <= TITLE_CHARS) {
      from = eol < 0 ? evaluatedText.length() : eol + 1;
    } else if (colon >= 0) {
      from = end + colon + 1;
    } else {
      from = end;
    }
    String part = evaluatedText.substring(from).replaceFirst("^[\\s*_]+", "").strip();
    return Segments.letters(part) >= MIN_LETTERS ? part : evaluatedText;
  }

  /** Compiled once per markers: compiling for every response was a visible cost. */
  private static final Map<TransferMarkers, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private static Pattern pattern(TransferMarkers markers) {
    return PATTERNS.computeIfAbsent(markers, JudgedPart::compile);
  }

  private static Pattern compile(TransferMarkers markers) {
    String n = Pattern.quote(Integer.toString(markers.finalStep()));
    String step = alternatives(markers.stepWords());
    String heading = alternatives(markers.headings());
    return Pattern.compile(
        "^[ \\t*_#>]*(?:" + n + "[-.:)]?[ \\t]*-?[ \\t]*" + step
            + "|" + step + "[ \\t]*" + n
            + "|" + n + "[.):][^\\n]*?" + heading
            + "|" + heading + ")",
        Pattern.MULTILINE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static String alternatives(List<String> words) {
    return words.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")"));
  }
}
