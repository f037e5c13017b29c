package dev.cltbench.study;

import java.io.Serializable;

/**
 * One judge's verdict on one evaluated text: a score per rubric criterion, or a failure (the call
 * failed or the reply could not be parsed strictly), which is recorded and never scored.
 */
public record Judgment(String judge, Score score, String notes, String failure) implements Serializable {

  public static Judgment failed(String judge, String reason) {
    return new Judgment(judge, null, null, reason);
  }

  public boolean ok() {
    return failure == null;
  }

  public int total() {
    return score.total();
  }
}
