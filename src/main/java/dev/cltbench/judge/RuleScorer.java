package dev.cltbench.judge;

import dev.cltbench.study.Judgment;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Score;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scorer that calls no one: the graded text against the reference by a rule, as a verdict of one
 * criterion, 1 right or 0 wrong, so the tables, intervals and tests treat it like a judge's grade.
 * {@code exact-match}: equal after case, surrounding space and final punctuation are set aside.
 * {@code choice}: the choice letter the answer gives (see {@link #chosenLetter}) is the reference's.
 */
public final class RuleScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final String criterion;

  public RuleScorer(PipelineDefinition.Scorer spec) {
    if (!spec.ruleBased()) {
      throw new IllegalArgumentException("not a rule-based scorer: " + spec.typeOrDefault());
    }
    this.type = spec.typeOrDefault();
    this.criterion = spec.criterionOrDefault();
  }

  /** The verdict on {@code answer} against {@code reference}; it is recorded as the rater {@code type}. */
  public Judgment score(String answer, String reference) {
    if (reference == null) {
      return Judgment.failed(type, "the question has no reference to compare with");
    }
    boolean right;
    String notes;
    if (type.equals(PipelineDefinition.Scorer.CHOICE)) {
      String chosen = chosenLetter(answer);
      String expected = reference.strip().toUpperCase(Locale.ROOT);
      right = expected.equals(chosen);
      notes = (chosen == null ? "no choice letter found" : "chose " + chosen) + "; reference " + expected;
    } else {
      right = normalize(answer).equals(normalize(reference));
      notes = right ? "matches the reference" : "differs from the reference";
    }
    return new Judgment(type, Score.of(List.of(criterion), right ? 1 : 0), notes, null);
  }

  static String normalize(String s) {
    String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    return t.replaceAll("[\\p{Punct}\\s]+$", "");
  }

  // Cyrillic letters that look like Latin choice letters, as Kazakh and Mongolian answers write them.
  private static String latin(String s) {
    return s.replace('А', 'A').replace('В', 'B').replace('С', 'C').replace('Е', 'E');
  }

  private static final Pattern ALONE = Pattern.compile("(?i)^\\(?([A-Z])\\)?[.):]?$");
  private static final Pattern SAID = Pattern.compile(
      "(?iu)(?:answer|жауап|хариулт|хариу)(?:\\s+is)?[^\\p{L}\\n]{0,12}\\(?([A-Z])\\)?(?![\\p{L}\\p{N}])");
  private static final Pattern LINE_START = Pattern.compile("(?m)^\\s*\\(?([A-Z])[.):](?:\\s|$)");

  /**
   * The letter an answer chooses: the whole answer is a letter ({@code B}, {@code (B)}, {@code B.});
   * else the letter after a word for "answer" (English, Kazakh, Mongolian); else a line that opens
   * with a letter and {@code .}, {@code )} or {@code :}. Null when none is found (scored wrong).
   */
  static String chosenLetter(String answer) {
    if (answer == null) {
      return null;
    }
    String a = latin(answer.strip());
    for (Pattern p : List.of(ALONE, SAID, LINE_START)) {
      Matcher m = p.matcher(a);
      if (m.find()) {
        return m.group(1).toUpperCase(Locale.ROOT);
      }
    }
    return null;
  }
}
