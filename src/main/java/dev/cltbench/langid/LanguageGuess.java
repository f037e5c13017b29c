package dev.cltbench.langid;

import java.io.Serializable;

/**
 * A language verdict: the top language and its confidence (a probability among the candidate languages,
 * 0..1), the runner-up, and which part of the identifier decided: {@code script} (too few letters, or
 * the writing system alone), {@code opennlp} (OpenNLP's n-gram model), {@code letters} (language-specific
 * letters overturned OpenNLP), {@code words} (function words and suffixes overturned the letters
 * verdict) or {@code segments} (sentence voting overturned the whole-text verdict).
 * Codes are ISO 639-3, {@code und} when undetermined.
 */
public record LanguageGuess(
    String language,
    double confidence,
    String runnerUp,
    double runnerUpConfidence,
    String decidedBy)
    implements Serializable {

  public static final String UNDETERMINED = "und";

  static LanguageGuess undetermined() {
    return new LanguageGuess(UNDETERMINED, 0, UNDETERMINED, 0, "script");
  }

  public boolean isDetermined() {
    return !UNDETERMINED.equals(language);
  }
}
