package dev.cltbench.judge;

import dev.cltbench.study.Judgment;
import dev.cltbench.study.Score;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines a panel's verdicts into the grade a tuple gets: per criterion, the median of the judges
 * that gave a valid verdict (lower median for an even count, so a grade stays an integer on the
 * rubric's scale). One judge's panel grade is that judge's grade. No valid verdict, no grade.
 */
public final class Panel {
  private Panel() {}

  /** The panel's grade, or null when no judge gave a valid verdict. */
  public static Judgment combine(List<Judgment> verdicts) {
    List<Judgment> ok = new ArrayList<>();
    for (Judgment j : verdicts) {
      if (j.ok()) {
        ok.add(j);
      }
    }
    if (ok.isEmpty()) {
      return null;
    }
    if (ok.size() == 1) {
      return ok.get(0);
    }
    Map<String, Integer> median = new LinkedHashMap<>();
    for (String criterion : ok.get(0).score().criteria()) {
      int[] grades = new int[ok.size()];
      for (int i = 0; i < ok.size(); i++) {
        grades[i] = ok.get(i).score().get(criterion);
      }
      median.put(criterion, lowerMedian(grades));
    }
    List<String> notes = new ArrayList<>();
    for (Judgment j : ok) {
      notes.add(j.judge() + ": " + j.notes());
    }
    return new Judgment("panel", new Score(median), String.join(" | ", notes), null);
  }

  static int lowerMedian(int[] values) {
    int[] s = values.clone();
    Arrays.sort(s);
    return s[(s.length - 1) / 2];
  }
}
