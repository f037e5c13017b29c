package dev.cltbench.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    int[] a = new int[ok.size()];
    int[] f = new int[ok.size()];
    int[] c = new int[ok.size()];
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < ok.size(); i++) {
      a[i] = ok.get(i).accuracy();
      f[i] = ok.get(i).fluency();
      c[i] = ok.get(i).completeness();
      notes.add(ok.get(i).judge() + ": " + ok.get(i).notes());
    }
    return new Judgment("panel", lowerMedian(a), lowerMedian(f), lowerMedian(c),
        String.join(" | ", notes), null);
  }

  static int lowerMedian(int[] values) {
    int[] s = values.clone();
    Arrays.sort(s);
    return s[(s.length - 1) / 2];
  }
}
