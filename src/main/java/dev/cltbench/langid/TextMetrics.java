package dev.cltbench.langid;

import dev.cltbench.study.LanguageFacts;
import dev.cltbench.study.LineStartSearch;
import dev.cltbench.study.TransferMarkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The study's automatic language metrics of one evaluated response.
 *
 * <p>The <b>judged text</b> is the evaluated text (the whole response for direct conditions, the study's
 * extracted final answer for self-transfer ones) narrowed, for transfer conditions, to the part after the
 * last final-step marker ({@link JudgedPart}), since that is what the judge graded.
 *
 * <ul>
 *   <li>{@code language}: {@link LanguageIdentifier#identify} of the judged text.
 *   <li>{@code cyrillicShare}: Cyrillic letters / all letters of the judged text (Unicode letters of any
 *       script; digits, punctuation and symbols do not count); 0 when it has no letters.
 *   <li>{@code codeSwitchShare}: the judged text is split into sentences (line breaks, and . ! ?
 *       followed by white space); sentences with fewer than 20 letters (headings, list labels, numbers)
 *       are dropped; each remaining sentence is identified in context
 *       ({@link LanguageIdentifier#identifySentence}: a sentence keeps the judged text's language
 *       unless its own letters and words are decisive, are in another script, or lean to another
 *       language that the full identifier confirms); the share is the fraction of adjacent pairs of
 *       remaining sentences whose languages differ. 0 with fewer than two sentences. 0.5 means every
 *       other sentence switches language.
 *   <li>{@code englishLeakWords}: for a non-English expected language, the number of Latin-script words
 *       of at least 3 letters, all lower case, outside Markdown code (``` blocks and `inline`) and URLs.
 *       Lower case leaves out names, acronyms and model names (NYSE, TCP, Deepwater Horizon); in the
 *       study's Kazakh and Mongolian answers a lower-case Latin word is an English word. 0 for English.
 *   <li>{@code allStepsShown}: null for a direct condition (no markers). For a self-transfer condition:
 *       the full response has, in order, a line opening each step 1..final step (after optional spaces
 *       and Markdown '#', '*', '_', '>': the step number followed by '.', ')', ':' or '-', or the number
 *       and a step word, or a step word and the number), <em>and</em> English was actually written
 *       before the judged answer (at least one sentence of 20+ letters, at least half of them Latin,
 *       that letters and words identify as English), since steps 1 and 2 are the English translation
 *       and answer.
 * </ul>
 */
public record TextMetrics(
    LanguageGuess language,
    double cyrillicShare,
    double codeSwitchShare,
    int englishLeakWords,
    Boolean allStepsShown) {

  private static final Pattern CODE = Pattern.compile("```.*?(```|$)|`[^`\\n]*`", Pattern.DOTALL);
  private static final Pattern URL = Pattern.compile("\\b(?:https?://|www\\.)\\S+");

  /**
   * @param evaluatedText the text the study evaluates (for transfer conditions the extracted final answer)
   * @param expectedIso3 the target language, ISO 639-3
   * @param fullResponse the whole response, or null (then the evaluated text stands for it)
   * @param markers the transfer markers for a self-transfer condition, null for a direct one
   */
  public static TextMetrics of(String evaluatedText, String expectedIso3, String fullResponse,
      TransferMarkers markers, LanguageIdentifier id) {
    String evaluated = evaluatedText == null ? "" : evaluatedText;
    String judged = markers == null ? evaluated : JudgedPart.of(evaluated, markers);
    // One count of the judged text's letters serves identification and the Cyrillic share.
    LanguageIdentifier.LetterCounts letters = LanguageIdentifier.LetterCounts.of(judged);
    LanguageGuess guess = id.identify(judged, letters);
    List<String> languages = sentenceLanguages(judged, id, guess.language());
    return new TextMetrics(
        guess,
        letters.cyrillicShare(),
        switchShare(languages),
        "eng".equals(expectedIso3) ? 0 : englishLeakWords(judged),
        markers == null ? null
            : allStepsShown(fullResponse == null ? evaluated : fullResponse, judged, markers, id));
  }

  /** The metrics as the study's {@link LanguageFacts}. */
  public static LanguageFacts facts(String evaluatedText, String expectedIso3, String fullResponse,
      TransferMarkers markers, LanguageIdentifier id) {
    return of(evaluatedText, expectedIso3, fullResponse, markers, id).toFacts(expectedIso3);
  }

  public LanguageFacts toFacts(String expectedIso3) {
    return new LanguageFacts(expectedIso3, language.language(), language.confidence(),
        language.decidedBy(), cyrillicShare, codeSwitchShare, englishLeakWords, allStepsShown);
  }

  static double cyrillicShare(String text) {
    return LanguageIdentifier.LetterCounts.of(text).cyrillicShare();
  }

  static List<String> sentenceLanguages(String text, LanguageIdentifier id, String whole) {
    List<String> out = new ArrayList<>();
    int[] bounds = Segments.sentenceBounds(text);
    for (int k = 0; k < bounds.length; k += 2) {
      SentenceLetters letters = SentenceLetters.of(text, bounds[k], bounds[k + 1]);
      if (letters.letters >= LanguageIdentifier.MIN_SEGMENT_LETTERS) {
        out.add(letters.plainlyIn(whole) ? whole
            : id.identifySentence(text.substring(bounds[k], bounds[k + 1]), whole));
      }
    }
    return out;
  }

  /** Letters outside Kazakh's alphabet, and Kazakh's own against Kyrgyz, Mongolian and Russian. */
  private static final String NOT_KAZAKH = "җҡҙҫўҳэ";
  private static final String ONLY_KAZAKH = "әғқұі";
  private static final String NOT_MONGOLIAN = "әғқңұһіҗҡҙҫўҳ";
  private static final String TURKISH = "ıüşçğö";

  /**
   * Whether a sentence's letters alone put it in the whole text's language, so the identifier need not
   * run on it (per-sentence identification was most of the metrics' cost). Conservative, per language:
   * an English text's sentence in Latin letters without Turkish ones; a Kazakh text's sentence with a
   * letter no Kyrgyz, Mongolian or Russian text has (ә ғ қ ұ і) and none outside Kazakh's alphabet; a
   * Mongolian text's sentence with э and none of the Turkic letters (Kyrgyz shares ө ү but not э, which
   * only Mongolian uses often). Anything else is identified.
   */
  static boolean plainlyIn(String sentence, String whole) {
    return SentenceLetters.of(sentence, 0, sentence.length()).plainlyIn(whole);
  }

  /** One scan of a sentence ({@code text} from {@code from} to {@code to}): its letters and what
   * {@link #plainlyIn} needs of them. */
  private record SentenceLetters(int letters, int latin, int cyrillic, boolean onlyKazakh,
      boolean notKazakh, boolean notMongolian, boolean turkish, boolean e) {
    static SentenceLetters of(String text, int from, int to) {
      int letters = 0;
      int latin = 0;
      int cyrillic = 0;
      boolean onlyKazakh = false;
      boolean notKazakh = false;
      boolean notMongolian = false;
      boolean turkish = false;
      boolean e = false;
      for (int i = from; i < to; i++) {
        char c = text.charAt(i);
        if (!Segments.isLetter(c)) {
          continue;
        }
        letters++;
        if (c < 0x80) {
          latin++; // basic Latin: none of the letters below
          continue;
        }
        c = Segments.lowerCase(c);
        Character.UnicodeScript script = Segments.script(c);
        latin += script == Character.UnicodeScript.LATIN ? 1 : 0;
        cyrillic += script == Character.UnicodeScript.CYRILLIC ? 1 : 0;
        if (c >= 'а' && c <= 'я' && c != 'э') {
          continue; // the Russian alphabet's letters (but э) tell none of these apart
        }
        onlyKazakh |= ONLY_KAZAKH.indexOf(c) >= 0;
        notKazakh |= NOT_KAZAKH.indexOf(c) >= 0;
        notMongolian |= NOT_MONGOLIAN.indexOf(c) >= 0;
        turkish |= TURKISH.indexOf(c) >= 0;
        e |= c == 'э';
      }
      return new SentenceLetters(letters, latin, cyrillic, onlyKazakh, notKazakh, notMongolian, turkish, e);
    }

    boolean plainlyIn(String whole) {
      return switch (whole) {
        case "eng" -> latin > 0 && cyrillic == 0 && !turkish;
        case "kaz" -> latin == 0 && onlyKazakh && !notKazakh;
        case "mon" -> latin == 0 && e && !notMongolian;
        default -> false;
      };
    }
  }

  static double switchShare(List<String> languages) {
    if (languages.size() < 2) {
      return 0;
    }
    int switches = 0;
    for (int i = 1; i < languages.size(); i++) {
      switches += languages.get(i).equals(languages.get(i - 1)) ? 0 : 1;
    }
    return (double) switches / (languages.size() - 1);
  }

  static int englishLeakWords(String text) {
    // The regular expressions only where code or a URL can be (they were a large share of the cost).
    String prose = text.indexOf('`') < 0 && !text.contains("://") && !text.contains("www.") ? text
        : URL.matcher(CODE.matcher(text).replaceAll(" ")).replaceAll(" ");
    // Words are maximal runs of letters (as splitting at [^\\p{L}]+), scanned by hand.
    int leaks = 0;
    int start = -1;
    boolean leak = true;
    for (int i = 0; i <= prose.length(); i++) {
      char c = i < prose.length() ? prose.charAt(i) : ' ';
      if (Segments.isLetter(c)) {
        if (start < 0) {
          start = i;
          leak = true;
        }
        // Once a word is known not to leak, its other letters need no test.
        leak = leak && (c < 0x80 ? c >= 'a'
            : Character.isLowerCase(c) && Segments.script(c) == Character.UnicodeScript.LATIN);
      } else if (start >= 0) {
        leaks += leak && i - start >= 3 ? 1 : 0;
        start = -1;
      }
    }
    return leaks;
  }

  static boolean allStepsShown(String response, String judged, TransferMarkers markers,
      LanguageIdentifier id) {
    int from = 0;
    for (int k = 1; k <= markers.finalStep(); k++) {
      Matcher m = stepPattern(k, markers).matcher(response);
      if (!LineStartSearch.find(m, response, from)) {
        return false;
      }
      from = m.end();
    }
    int judgedAt = judged.isEmpty() ? -1 : response.lastIndexOf(judged);
    String before = judgedAt > 0 ? response.substring(0, judgedAt) : response;
    // Only sentences mostly in Latin letters can be English; identifying just those (and stopping at
    // the first English one) keeps this check from identifying every sentence of every step. Letters
    // and words alone tell English from the other Latin-script candidates (Turkish, Uzbek).
    int[] bounds = Segments.sentenceBounds(before);
    for (int k = 0; k < bounds.length; k += 2) {
      SentenceLetters letters = SentenceLetters.of(before, bounds[k], bounds[k + 1]);
      if (letters.letters >= LanguageIdentifier.MIN_SEGMENT_LETTERS && 2 * letters.latin >= letters.letters
          && id.identifyFromCues(before.substring(bounds[k], bounds[k + 1])).equals("eng")) {
        return true;
      }
    }
    return false;
  }

  /** Step patterns by markers, compiled once: compiling them for every response was a visible cost. */
  private static final Map<TransferMarkers, List<Pattern>> STEP_PATTERNS = new ConcurrentHashMap<>();

  private static Pattern stepPattern(int k, TransferMarkers markers) {
    return STEP_PATTERNS.computeIfAbsent(markers, m -> IntStream.rangeClosed(1, m.finalStep())
        .mapToObj(step -> compileStepPattern(step, m)).toList()).get(k - 1);
  }

  private static Pattern compileStepPattern(int k, TransferMarkers markers) {
    String n = Pattern.quote(Integer.toString(k));
    String step = markers.stepWords().stream().map(Pattern::quote)
        .collect(Collectors.joining("|", "(?:", ")"));
    return Pattern.compile(
        "^[ \\t*_#>]*(?:" + n + "(?![0-9])(?:[-.:)]|[ \\t]*" + step + ")|" + step + "[ \\t]*" + n + "(?![0-9]))",
        Pattern.MULTILINE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }
}
