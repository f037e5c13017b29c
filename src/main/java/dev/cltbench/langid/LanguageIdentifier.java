package dev.cltbench.langid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * Identifies the language of a text among {@link LanguageCues#CANDIDATES} (English, Kazakh, Kyrgyz,
 * Mongolian, Russian, Tatar, Bashkir, Uzbek, Turkish). Stages, each adding evidence to the last:
 *
 * <ol>
 *   <li>{@link Stage#OPENNLP}: OpenNLP's language detector (character n-gram maximum entropy model of
 *       103 languages, cut at build time to the candidates by {@link CandidateModel}), its
 *       probabilities renormalised over the candidates. It mixes up the Cyrillic Turkic languages,
 *       which share most n-grams.
 *   <li>{@link Stage#LETTERS}: the writing system restricts the candidates (Latin or Cyrillic majority
 *       of letters), and a unigram model of each language's distinctive letters
 *       ({@link LanguageCues#LETTER_RATES}) adds a log-likelihood: a letter outside a language's
 *       alphabet is strong evidence against it, and the absence of letters a language uses often (і, қ
 *       in Kazakh) is evidence too.
 *   <li>{@link Stage#WORDS}: hits of function words and characteristic suffixes
 *       ({@link LanguageCues}); and when the verdict is Kazakh or Kyrgyz, the share of Kyrgyz word forms
 *       divides the two ({@link KyrgyzForms}).
 *   <li>{@link Stage#SEGMENTS} (ablation only, see {@link #identify(String)}): the same on every
 *       sentence; when the sentences' letter-weighted majority disagrees with the whole-text verdict it
 *       wins.
 * </ol>
 *
 * <p>{@link #identify(String)} runs stages 2-3 first and OpenNLP only when they are not decisive (a
 * cascade that gives the same verdicts at a fraction of the cost); {@link #identify(String, Stage)}
 * runs the stages in full, for the ablation.
 *
 * <p>Create once ({@link #create()} loads the model, tens of milliseconds) or use {@link #shared()}:
 * {@link #identify} is thread-safe (each thread gets its own OpenNLP detector over the one immutable
 * model). In a Beam DoFn get it in {@code @Setup}; the class is deliberately not Serializable.
 */
public final class LanguageIdentifier {
  /** How much of the identifier to use; later stages include the earlier ones (for the ablation). */
  public enum Stage { OPENNLP, LETTERS, WORDS, SEGMENTS }

  /** Fewer letters than this and no verdict is given ("und"): nothing to go on. */
  static final int MIN_LETTERS = 3;
  /** Sentences shorter than this many letters do not vote (headings, numbers, list labels). */
  static final int MIN_SEGMENT_LETTERS = 20;
  /** Evidence is counted as if the text had at most this many letters / words: the cues are not
   * independent, so a long text must not make them arbitrarily certain. */
  private static final double LETTER_EVIDENCE_CAP = 200;
  private static final double WORD_EVIDENCE_CAP = 40;
  /** Weight of one function-word or suffix hit, in natural-log units. The letter and word constants
   * are round values set by hand, not fitted; only KyrgyzForms' were chosen on the study's data. */
  private static final double WORD_WEIGHT = 1.0;
  /** Floor rate for a letter outside a language's alphabet (typos, loan words, mixed text). */
  private static final double OUTSIDE_ALPHABET_RATE = 0.001;
  /** Weight of the evidence from letters a language uses but the text lacks: the rates vary with
   * topic, names and loan words, so a text short of them is weak evidence; a letter outside a
   * language's alphabet is strong evidence and keeps full weight. */
  private static final double ABSENCE_WEIGHT = 0.25;

  private static final Map<String, Integer> INDEX = new HashMap<>();

  static {
    for (int i = 0; i < LanguageCues.CANDIDATES.size(); i++) {
      INDEX.put(LanguageCues.CANDIDATES.get(i), i);
    }
  }

  private final ThreadLocal<LanguageDetectorME> detector;

  private LanguageIdentifier(LanguageDetectorModel model) {
    this.detector = ThreadLocal.withInitial(() -> new LanguageDetectorME(model));
  }

  /**
   * One identifier per JVM. Runners make many instances of a DoFn (the DirectRunner one per thread
   * and bundle), and the identifier is thread-safe, so workers share it instead of each loading the
   * model in its {@code @Setup}.
   */
  public static LanguageIdentifier shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final LanguageIdentifier INSTANCE = create();
  }

  /** Loads OpenNLP's language-detection model, cut to the candidates ({@link CandidateModel}). */
  public static LanguageIdentifier create() {
    return new LanguageIdentifier(CandidateModel.load());
  }

  /**
   * The identifier: {@link Stage#WORDS}, as a cascade. Letters and words are scored first; only when
   * they leave the leading language (Kazakh and Kyrgyz counted together) below {@link #DECISIVE} is
   * OpenNLP consulted and the text scored again with it. On the study's data the cascade gives the
   * full identifier's verdict on every text and every sentence (see the cascade line of
   * {@link LanguageValidation}'s report) while sparing most OpenNLP calls, which were most of the cost
   * of identification. Sentence voting ({@link Stage#SEGMENTS}) is not included: on the study's data it
   * changed no wrong-language verdict the judge agreed with and turned a few correct Kazakh answers into
   * Mongolian or Russian through short, name-laden sentences; per-sentence verdicts serve the
   * code-switching metric instead.
   */
  public LanguageGuess identify(String text) {
    return text == null ? LanguageGuess.undetermined() : identify(text, LetterCounts.of(text));
  }

  /** {@link #identify(String)} of a text whose letters are counted already. */
  LanguageGuess identify(String text, LetterCounts counts) {
    Cues cues = new Cues(text, counts);
    Scored first = score(cues, Stage.WORDS, false);
    if (first == null) {
      return LanguageGuess.undetermined();
    }
    return first.leading >= DECISIVE ? first.guess : score(cues, Stage.WORDS, true).guess;
  }

  /**
   * The language of one sentence of a text identified as {@code context}. A sentence rarely carries
   * enough letters for OpenNLP's n-grams, whose verdicts on the study's short Cyrillic sentences were
   * mostly names, code and table rows read as Russian, Kazakh or Uzbek; so OpenNLP is asked only when
   * the sentence's letters and words lean to another language of the context's script:
   *
   * <ul>
   *   <li>letters and words decisive ({@link #DECISIVE}), or the sentence mostly in a script the
   *       context language is not written in (an English sentence in a Mongolian answer): their verdict;
   *   <li>they lean ({@link #LEANING}) to a language other than the context (Kazakh and Kyrgyz counted
   *       as one): the full identifier's verdict;
   *   <li>otherwise the context: no evidence of a switch.
   * </ul>
   */
  public String identifySentence(String sentence, String context) {
    Cues read = sentence == null ? null : cues(sentence);
    Scored cues = read == null ? null : score(read, Stage.WORDS, false);
    if (cues == null) {
      return context;
    }
    String top = cues.guess.language();
    boolean contextScript = cues.latin ? LanguageCues.LATIN_SCRIPT.contains(context)
        : LanguageCues.CYRILLIC_SCRIPT.contains(context);
    if (cues.leading >= DECISIVE || !contextScript) {
      return top;
    }
    if (cues.leading < LEANING || paired(top).equals(paired(context))) {
      return context;
    }
    return score(read, Stage.WORDS, true).guess.language();
  }

  /** The verdict of letters and words alone, without OpenNLP ({@code und} with too few letters). */
  String identifyFromCues(String text) {
    Scored cues = text == null ? null : score(cues(text), Stage.WORDS, false);
    return (cues == null ? LanguageGuess.undetermined() : cues.guess).language();
  }

  /** Leading probability (letters and words alone) from which a sentence is worth OpenNLP's look:
   * more than all other candidates together. */
  static final double LEANING = 0.5;

  private static String paired(String language) {
    return language.equals("kir") ? "kaz" : language;
  }

  /** Whether {@link #identify} decides {@code text} from letters and words, without OpenNLP. */
  boolean decidesWithoutOpenNlp(String text) {
    Scored cues = text == null ? null : score(cues(text), Stage.WORDS, false);
    return cues == null || cues.leading >= DECISIVE;
  }

  /**
   * Probability (letters and words alone) of the leading language above which OpenNLP is not asked:
   * odds of 999 to 1, about 7 nats of evidence. A round value, not fitted.
   */
  static final double DECISIVE = 0.999;

  /** The identifier up to a stage: for ablation. */
  public LanguageGuess identify(String text, Stage stage) {
    if (text == null) {
      return LanguageGuess.undetermined();
    }
    Scored whole = score(cues(text), stage, true);
    if (whole == null) {
      return LanguageGuess.undetermined();
    }
    if (stage != Stage.SEGMENTS) {
      return whole.guess;
    }
    return segmentVote(text, whole.guess);
  }

  private LanguageGuess segmentVote(String text, LanguageGuess whole) {
    double[] votes = new double[LanguageCues.CANDIDATES.size()];
    double total = 0;
    int voters = 0;
    for (String segment : Segments.sentences(text)) {
      int letters = Segments.letters(segment);
      if (letters < MIN_SEGMENT_LETTERS) {
        continue;
      }
      Scored s = score(cues(segment), Stage.WORDS, true);
      if (s == null) {
        continue;
      }
      votes[INDEX.get(s.guess.language())] += letters;
      total += letters;
      voters++;
    }
    if (voters < 2) {
      return whole;
    }
    // Kazakh and Kyrgyz vote together: sentences are too short for the Kyrgyz-form test, which the
    // whole text decides.
    String pair = whole.language().equals("kir") ? "kaz" : whole.language().equals("kaz") ? "kir" : null;
    if (pair != null) {
      votes[INDEX.get(whole.language())] += votes[INDEX.get(pair)];
      votes[INDEX.get(pair)] = 0;
    }
    int best = argmax(votes, -1);
    String winner = LanguageCues.CANDIDATES.get(best);
    double share = votes[best] / total;
    if (winner.equals(whole.language()) || share <= 0.5) {
      return whole;
    }
    int second = argmax(votes, best);
    return new LanguageGuess(winner, share, LanguageCues.CANDIDATES.get(second), votes[second] / total,
        "segments");
  }

  /** A verdict, and the probability of the leading language before Kazakh and Kyrgyz are split. */
  private record Scored(LanguageGuess guess, double leading, boolean latin) {}

  /** What a text's letters and words say, read once: the first look of {@link #identify} without
   * OpenNLP and the second with it share them. */
  private static final class Cues {
    final String text;
    final LetterCounts counts;
    private double[] words;
    private double kyrgyz = Double.NaN;

    Cues(String text, LetterCounts counts) {
      this.text = text;
      this.counts = counts;
    }

    double[] words() {
      if (words == null) {
        words = wordEvidence(text);
      }
      return words;
    }

    double kyrgyzProbability() {
      if (Double.isNaN(kyrgyz)) {
        kyrgyz = KyrgyzForms.kyrgyzProbability(text);
      }
      return kyrgyz;
    }
  }

  private static Cues cues(String text) {
    return new Cues(text, LetterCounts.of(text));
  }

  /** Scores a text up to {@code stage}; with {@code openNlp} false the letters and words start from
   * a uniform prior instead of OpenNLP's probabilities (the cheap first step of {@link #identify}). */
  private Scored score(Cues cues, Stage stage, boolean openNlp) {
    String text = cues.text;
    LetterCounts counts = cues.counts;
    if (counts.letters < MIN_LETTERS) {
      return null;
    }
    int n = LanguageCues.CANDIDATES.size();
    double[] score = new double[n];
    int openNlpTop = -1;
    String decidedBy = "letters";
    if (openNlp) {
      Language[] predicted = detector.get().predictLanguages(sample(text));
      double sum = 0;
      double[] p = new double[n];
      for (Language l : predicted) {
        Integer i = INDEX.get(l.getLang());
        if (i != null) {
          p[i] = l.getConfidence();
          sum += p[i];
        }
      }
      for (int i = 0; i < n; i++) {
        score[i] = Math.log(Math.max(p[i] / sum, 1e-9));
      }
      openNlpTop = argmax(score, -1);
      decidedBy = "opennlp";
    }
    double leading = 1;
    if (stage.compareTo(Stage.LETTERS) >= 0) {
      boolean latin = counts.latin > counts.cyrillic;
      for (int i = 0; i < n; i++) {
        String lang = LanguageCues.CANDIDATES.get(i);
        boolean fits = latin ? LanguageCues.LATIN_SCRIPT.contains(lang)
            : LanguageCues.CYRILLIC_SCRIPT.contains(lang);
        score[i] = fits ? score[i] + letterEvidence(i, counts) : Double.NEGATIVE_INFINITY;
      }
      int top = argmax(score, -1);
      if (openNlp && top != openNlpTop) {
        decidedBy = LanguageCues.LATIN_SCRIPT.contains(LanguageCues.CANDIDATES.get(openNlpTop)) == latin
            && LanguageCues.CYRILLIC_SCRIPT.contains(LanguageCues.CANDIDATES.get(openNlpTop)) == !latin
            ? "letters" : "script";
      }
      if (stage.compareTo(Stage.WORDS) >= 0) {
        double[] words = cues.words();
        for (int i = 0; i < n; i++) {
          score[i] += words[i];
        }
        int wordsTop = argmax(score, -1);
        if (wordsTop != top) {
          decidedBy = "words";
        }
        leading = leadingPairedProbability(score);
        // Kazakh or Kyrgyz: decided by Kyrgyz word forms, which the generic evidence underweights
        // when Kazakh letters are mixed in (see KyrgyzForms).
        String lang = LanguageCues.CANDIDATES.get(wordsTop);
        if (lang.equals("kaz") || lang.equals("kir")) {
          double q = cues.kyrgyzProbability();
          if ((q >= 0.5) != lang.equals("kir")) {
            decidedBy = "words";
          }
          splitPair(score, INDEX.get("kir"), INDEX.get("kaz"), q);
        }
      }
    }
    return new Scored(toGuess(score, decidedBy), leading, counts.latin > counts.cyrillic);
  }

  /** Softmax probability of the leading language, Kazakh and Kyrgyz counted as one. */
  private static double leadingPairedProbability(double[] score) {
    double[] merged = score.clone();
    int kaz = INDEX.get("kaz");
    int kir = INDEX.get("kir");
    double m = Math.max(merged[kaz], merged[kir]);
    merged[kaz] = Double.isInfinite(m) ? m
        : m + Math.log(Math.exp(merged[kaz] - m) + Math.exp(merged[kir] - m));
    merged[kir] = Double.NEGATIVE_INFINITY;
    return topProbability(merged, argmax(merged, -1));
  }

  /** Characters of a long text that OpenNLP sees: its verdict settles within a few hundred characters
   * (same verdicts on the study with 300 and 1,500), and its cost grows with length; the letter, word
   * and Kyrgyz-form cues still read the whole text. */
  static final int SAMPLE_CHARS = 300;

  /** A long text's beginning, middle and end, so that a language that appears late is still seen. */
  static String sample(String text) {
    if (text.length() <= SAMPLE_CHARS) {
      return text;
    }
    int part = SAMPLE_CHARS / 3;
    int mid = text.length() / 2 - part / 2;
    return text.substring(0, part) + "\n" + text.substring(mid, mid + part) + "\n"
        + text.substring(text.length() - part);
  }

  /**
   * Re-divides the probability the scores give Kazakh and Kyrgyz together: a share q to Kyrgyz, the rest
   * to Kazakh, leaving the other languages' probabilities as they were.
   */
  private static void splitPair(double[] score, int kir, int kaz, double q) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : score) {
      m = Math.max(m, v);
    }
    double z = 0;
    for (double v : score) {
      z += Double.isInfinite(v) ? 0 : Math.exp(v - m);
    }
    double pair = (Math.exp(score[kir] - m) + Math.exp(score[kaz] - m)) / z;
    double qq = Math.min(1 - 1e-6, Math.max(1e-6, q));
    score[kir] = m + Math.log(z * pair * qq);
    score[kaz] = m + Math.log(z * pair * (1 - qq));
  }

  /** Softmax of the scores: the top two languages with their probabilities among the candidates. */
  private static LanguageGuess toGuess(double[] score, String decidedBy) {
    int top = argmax(score, -1);
    int second = argmax(score, top);
    double topP = topProbability(score, top);
    double secondP = Double.isInfinite(score[second]) ? 0 : Math.exp(score[second] - score[top]) * topP;
    return new LanguageGuess(LanguageCues.CANDIDATES.get(top), topP,
        LanguageCues.CANDIDATES.get(second), secondP, decidedBy);
  }

  /** Softmax probability of the highest score {@code score[top]}. */
  private static double topProbability(double[] score, int top) {
    double z = 0;
    for (double s : score) {
      z += Double.isInfinite(s) ? 0 : Math.exp(s - score[top]);
    }
    return 1 / z;
  }

  /** Log-likelihood of the distinctive letters under each language's rates, capped in size. */
  private static double letterEvidence(int lang, LetterCounts c) {
    int[] counts = c.distinctive();
    double[] logRate = LOG_RATE[lang];
    double ll = 0;
    int distinctive = 0;
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] > 0) {
        ll += counts[k] * logRate[k];
        distinctive += counts[k];
      }
    }
    int scriptLetters = Math.max(c.latin, c.cyrillic);
    ll += ABSENCE_WEIGHT * (scriptLetters - distinctive) * LOG_REST[lang];
    return ll * Math.min(1, LETTER_EVIDENCE_CAP / Math.max(1, scriptLetters));
  }

  /** Per candidate: log of each distinctive letter's rate (the floor outside its alphabet), and log of
   * the share of all other letters. Computed once, summing in a fixed order so that every run gives
   * the same bits ({@code Map.of} iterates in an order that changes from one JVM to the next). */
  private static final double[][] LOG_RATE =
      new double[LanguageCues.CANDIDATES.size()][LanguageCues.DISTINCTIVE_LETTERS.length()];
  private static final double[] LOG_REST = new double[LanguageCues.CANDIDATES.size()];

  static {
    for (int i = 0; i < LanguageCues.CANDIDATES.size(); i++) {
      Map<Character, Double> rates = LanguageCues.LETTER_RATES.get(LanguageCues.CANDIDATES.get(i));
      double sum = 0;
      for (int k = 0; k < LanguageCues.DISTINCTIVE_LETTERS.length(); k++) {
        Double rate = rates.get(LanguageCues.DISTINCTIVE_LETTERS.charAt(k));
        LOG_RATE[i][k] = Math.log(rate == null ? OUTSIDE_ALPHABET_RATE : rate);
        sum += rate == null ? 0 : rate;
      }
      LOG_REST[i] = Math.log(1 - sum);
    }
  }

  private static double[] wordEvidence(String text) {
    double[] hits = new double[LanguageCues.CANDIDATES.size()];
    List<String> words = Segments.words(text);
    for (String w : words) {
      int languages = FUNCTION_WORD_LANGUAGES.getOrDefault(w, 0);
      if (w.length() >= LanguageCues.MIN_SUFFIX_WORD) {
        languages |= SUFFIX_LANGUAGES.bitsOf(w);
      }
      for (int i = 0; languages != 0; i++, languages >>>= 1) {
        hits[i] += languages & 1;
      }
    }
    double scale = WORD_WEIGHT * Math.min(1, WORD_EVIDENCE_CAP / Math.max(1, words.size()));
    for (int i = 0; i < hits.length; i++) {
      hits[i] *= scale;
    }
    return hits;
  }

  /** Function words and suffixes of {@link LanguageCues}, each with the bit set of the candidates
   * (bit i for {@code CANDIDATES.get(i)}) it is a cue of: one lookup per word ending instead of a scan
   * of every language's lists. A word counts once per language, whether by function word or suffix. */
  private static final Map<String, Integer> FUNCTION_WORD_LANGUAGES = new HashMap<>();
  private static final Suffixes SUFFIX_LANGUAGES;

  static {
    Map<String, Integer> suffixLanguages = new HashMap<>();
    for (int i = 0; i < LanguageCues.CANDIDATES.size(); i++) {
      String lang = LanguageCues.CANDIDATES.get(i);
      int bit = 1 << i;
      for (String w : LanguageCues.FUNCTION_WORDS.get(lang)) {
        FUNCTION_WORD_LANGUAGES.merge(w, bit, (a, b) -> a | b);
      }
      for (String suffix : LanguageCues.SUFFIXES.get(lang)) {
        suffixLanguages.merge(suffix, bit, (a, b) -> a | b);
      }
    }
    SUFFIX_LANGUAGES = new Suffixes(suffixLanguages);
  }

  private static int argmax(double[] v, int exclude) {
    int best = -1;
    for (int i = 0; i < v.length; i++) {
      if (i != exclude && (best < 0 || v[i] > v[best])) {
        best = i;
      }
    }
    return best;
  }

  /** Letter counts by script, and counts of each distinctive letter (lower-cased), indexed as
   * {@link LanguageCues#DISTINCTIVE_LETTERS}. */
  static final class LetterCounts {
    int letters;
    int latin;
    int cyrillic;
    /** Distinctive letters of the Latin and of the Cyrillic script, counted apart: only those of the
     * text's majority script are evidence (Kazakh names in Cyrillic inside an English answer say
     * nothing about Uzbek in Latin script). */
    final int[] latinDistinctive = new int[LanguageCues.DISTINCTIVE_LETTERS.length()];
    final int[] cyrillicDistinctive = new int[LanguageCues.DISTINCTIVE_LETTERS.length()];

    int[] distinctive() {
      return latin > cyrillic ? latinDistinctive : cyrillicDistinctive;
    }

    /** Cyrillic letters / all letters; 0 without letters. */
    double cyrillicShare() {
      return letters == 0 ? 0 : (double) cyrillic / letters;
    }

    /** Per char up to the end of the Cyrillic blocks: the index of its lower case in
     * {@link LanguageCues#DISTINCTIVE_LETTERS}, or -1. Identification reads every letter of every
     * text, and before the JIT compiles it (a report is over within seconds) a search of that string
     * per letter was the largest part of its cost; a lookup is one step. */
    private static final byte[] DISTINCTIVE_INDEX = new byte[0x530];

    static {
      for (char c = 0; c < DISTINCTIVE_INDEX.length; c++) {
        DISTINCTIVE_INDEX[c] = (byte) LanguageCues.DISTINCTIVE_LETTERS.indexOf(Segments.lowerCase(c));
      }
    }

    static LetterCounts of(String text) {
      LetterCounts c = new LetterCounts();
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (!Segments.isLetter(ch)) {
          continue;
        }
        c.letters++;
        Character.UnicodeScript script = Segments.script(ch);
        if (script == Character.UnicodeScript.LATIN) {
          c.latin++;
        } else if (script == Character.UnicodeScript.CYRILLIC) {
          c.cyrillic++;
        }
        if (ch < 0x80) {
          continue; // no basic Latin letter is distinctive
        }
        int k = ch < DISTINCTIVE_INDEX.length ? DISTINCTIVE_INDEX[ch]
            : LanguageCues.DISTINCTIVE_LETTERS.indexOf(Segments.lowerCase(ch));
        if (k >= 0) {
          (script == Character.UnicodeScript.LATIN ? c.latinDistinctive : c.cyrillicDistinctive)[k]++;
        }
      }
      return c;
    }
  }
}
