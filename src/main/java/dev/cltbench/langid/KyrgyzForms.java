package dev.cltbench.langid;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells Kyrgyz (or Kyrgyz-contaminated Kazakh) from Kazakh by word forms that standard Kazakh spelling
 * and grammar never produce. Letters cannot do it: Kyrgyz's alphabet is a subset of Kazakh's, and the
 * weak models' "Kyrgyz" answers in the study mix Kazakh letters (і, қ) into Kyrgyz morphology. The
 * study's judge calls such text Kyrgyz (its rubric: Kyrgyz given for Kazakh is a wrong language), so the
 * test is how many words have a Kyrgyz form, not which language has more evidence overall.
 *
 * <p>A lower-case Cyrillic word has a Kyrgyz form when it
 * <ul>
 *   <li>is a Kyrgyz function word (жана "and", менен "with", үчүн "for", бул "this", бирок "but", ...),
 *       unambiguous and frequent;
 *   <li>ends in a back-vowel suffix spelled with к/г or ending in н where Kazakh has қ/ғ or ң
 *       (-ган/-кан, -лык/-дык/-тык, -нын/-дын/-тын genitive, -гон/-гөн);
 *   <li>has ө or ү after its first vowel: Kyrgyz rounding harmony (өзгөчө, күрөш); Kazakh writes ө/ү only
 *       in the first syllable;
 *   <li>has a doubled (long) vowel аа оо уу үү өө (жооп, катышуу), which Kazakh lacks;
 *   <li>has ч, which native Kazakh words replace by ш (үчүн/үшін).
 * </ul>
 * Capitalised words are skipped: names keep their own spelling. Each distinct lower-case word counts
 * once (the weak model's looping answers repeat one phrase dozens of times), and the score is the
 * weighted count of Kyrgyz forms per distinct word; texts of fewer than {@link #MIN_DISTINCT_WORDS}
 * distinct words are too short for it.
 *
 * <p>The weights and threshold were chosen on the study's 800 Kazakh-condition texts against the judge's
 * Kyrgyz flags (threshold 0.21 of 0.19/0.21/0.23, by the smaller of precision and recall), so the
 * in-sample agreement (precision 0.904, recall 0.917, printed by {@code LanguageValidation}) is
 * optimistic: chosen on C2 alone and applied to C3 it gives 0.914 / 0.914, chosen on C3 and applied to
 * C2 0.875 / 0.946. The judge itself is not consistent at the boundary: it gave fluency 1 to some
 * answers whose notes say "Kyrgyz influence ... mostly Kazakh" and that score as high as flagged ones.
 */
final class KyrgyzForms {
  private KyrgyzForms() {}

  /** Score at or above which a Kazakh/Kyrgyz text is called Kyrgyz. */
  static final double THRESHOLD = 0.21;
  /** Fewer Kyrgyz-form words than this never make a text Kyrgyz. */
  static final int MIN_WORDS = 2;
  /** A text of fewer distinct lower-case words than this is too short for the share of Kyrgyz forms
   * to tell two closely related languages apart ("Оған 80 жыл болгон эле" is one slip, not Kyrgyz). */
  static final int MIN_DISTINCT_WORDS = 10;

  static final Set<String> FUNCTION_WORDS = Set.of(
      "жана", "менен", "үчүн", "бул", "бирок", "анын", "мүмкүн", "болот", "жөнүндө", "аркылуу",
      "катары", "сыяктуу", "эмес", "ошол", "кийин", "чейин", "дагы", "эле", "ошондуктан");
  private static final List<String> SUFFIXES = List.of(
      "ган", "кан", "гон", "кон", "гөн", "көн", "лык", "дык", "тык", "лук", "дук", "тук", "нын", "дын",
      "тын", "нун", "дун", "тун", "нүн", "дүн", "түн", "нин", "дин", "тин");
  private static final Suffixes SUFFIX_INDEX = new Suffixes(
      SUFFIXES.stream().collect(java.util.stream.Collectors.toMap(x -> x, x -> 1)));

  /** Distinct words counted, and how many of them have a Kyrgyz form. */
  record Score(double score, int kyrgyzWords, int words) {
    boolean kyrgyz() {
      return score >= THRESHOLD && kyrgyzWords >= MIN_WORDS && words >= MIN_DISTINCT_WORDS;
    }
  }

  /** Below this many letters a Kazakh text may lack і, қ, ғ by chance ("Керей руы Орта жүзге жатады"). */
  static final int MIN_LETTERS_BY_ALPHABET = 40;

  /** Kazakh letters that Kyrgyz lacks: ә ғ қ ұ һ і, either case. */
  private static boolean kazakhOnly(char c) {
    return switch (c) {
      case 'ә', 'ғ', 'қ', 'ұ', 'һ', 'і', 'Ә', 'Ғ', 'Қ', 'Ұ', 'Һ', 'І' -> true;
      default -> false;
    };
  }

  /**
   * Whether a text that is Kazakh or Kyrgyz is Kyrgyz: by the share of Kyrgyz forms, or, for text
   * without any of the Kazakh-only letters ә ғ қ ұ һ і but with ө ү or ң, by its letters (Kazakh
   * running text of a few sentences always has і, қ or ғ).
   */
  /** Whether the forms can tell anything: enough distinct lower-case words for their share, or
   * enough letters for the alphabet test. Shorter texts are left to the models. {@code forms} is the
   * text's {@link #of}, counted once for this and {@link #kyrgyzProbability}. */
  static boolean applies(String text, Score forms) {
    return forms.words() >= MIN_DISTINCT_WORDS || Segments.letters(text) >= MIN_LETTERS_BY_ALPHABET
        && kyrgyzByAlphabet(text);
  }

  static boolean isKyrgyz(String text) {
    return of(text).kyrgyz() || kyrgyzByAlphabet(text);
  }

  private static boolean kyrgyzByAlphabet(String text) {
    int letters = 0;
    boolean kyrgyzLetter = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (kazakhOnly(c)) {
        return false;
      }
      kyrgyzLetter |= c == 'ө' || c == 'ү' || c == 'ң' || c == 'Ө' || c == 'Ү' || c == 'Ң';
      letters += Segments.isLetter(c) ? 1 : 0;
    }
    return kyrgyzLetter && letters >= MIN_LETTERS_BY_ALPHABET;
  }

  /**
   * Probability, given that a text is Kazakh or Kyrgyz, that it is Kyrgyz: 0.5 at the threshold, moving
   * towards 0 or 1 as the Kyrgyz-form score moves one threshold away; 0.99 for text recognised by its
   * alphabet alone, 0.01 for Kazakh-only letters with no Kyrgyz forms. A calibration by construction,
   * not fitted. {@code s} is the text's {@link #of}.
   */
  static double kyrgyzProbability(String text, Score s) {
    double byForms = 0.5 + 0.5 * Math.max(-1, Math.min(1, (s.score() - THRESHOLD) / THRESHOLD));
    if (s.kyrgyz()) {
      return Math.max(0.5, Math.min(0.99, byForms));
    }
    if (kyrgyzByAlphabet(text)) {
      return 0.99;
    }
    return Math.max(0.01, Math.min(0.49, byForms));
  }

  static Score of(String text) {
    double weighted = 0;
    int kyrgyzWords = 0;
    Set<String> seen = new HashSet<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean letter = i < text.length() && Segments.isLetter(text.charAt(i));
      if (letter && start < 0) {
        start = i;
      } else if (!letter && start >= 0) {
        char first = text.charAt(start);
        int from = start;
        start = -1;
        if (Segments.script(first) != Character.UnicodeScript.CYRILLIC || Character.isUpperCase(first)) {
          continue;
        }
        String w = text.substring(from, i);
        if (!seen.add(w)) {
          continue;
        }
        double f = weight(w);
        if (f > 0) {
          weighted += f;
          kyrgyzWords++;
        }
      }
    }
    return new Score(seen.isEmpty() ? 0 : weighted / seen.size(), kyrgyzWords, seen.size());
  }

  static double weight(String w) {
    if (FUNCTION_WORDS.contains(w)) {
      return FUNCTION_WORD_WEIGHT;
    }
    double[] f = features(w);
    double sum = 0;
    for (int i = 0; i < f.length; i++) {
      sum += f[i] * WEIGHTS[i];
    }
    return sum;
  }

  /**
   * Weights. Their order is linguistic (function words are the most frequent and least ambiguous cue;
   * suffixes are grammar; rounding harmony and long vowels also occur in the Mongolian names and words
   * that Kazakh answers about Mongolia quote; ч is common in Russian loans, so it gets none); the values
   * and {@link #THRESHOLD} were chosen on the study's Kazakh conditions against the judge's flags (see
   * the class comment for what that means for new data).
   */
  private static final double FUNCTION_WORD_WEIGHT = 4;
  /** Weights of {@link #features}: Kyrgyz suffix, rounding harmony, long vowel, ч. */
  private static final double[] WEIGHTS = {1.5, 0.5, 0.5, 0};

  /** 0/1 indicators: Kyrgyz suffix, ө/ү after the first vowel, doubled vowel, ч. One pass over the
   * word: this runs on every distinct word of every Kazakh-or-Kyrgyz text. */
  static double[] features(String w) {
    double[] f = new double[4];
    if (w.length() >= 5 && SUFFIX_INDEX.bitsOf(w) != 0) {
      f[0] = 1;
    }
    boolean seenVowel = false;
    char previous = 0;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      if (f[1] == 0 && isVowel(c)) {
        if (seenVowel && (c == 'ө' || c == 'ү')) {
          f[1] = 1;
        }
        seenVowel = true;
      }
      if (c == previous && (c == 'а' || c == 'о' || c == 'у' || c == 'ү' || c == 'ө')) {
        f[2] = 1;
      }
      if (c == 'ч') {
        f[3] = 1;
      }
      previous = c;
    }
    return f;
  }

  /** The Cyrillic vowels of Kazakh and Kyrgyz: а о у ы е э и і ә ө ү ұ я ю ё. */
  private static boolean isVowel(char c) {
    return switch (c) {
      case 'а', 'о', 'у', 'ы', 'е', 'э', 'и', 'і', 'ә', 'ө', 'ү', 'ұ', 'я', 'ю', 'ё' -> true;
      default -> false;
    };
  }
}
