package dev.cltbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A synthetic panel of three judges grading six models on 80 questions, with biases planted at known
 * sizes: judge "own" adds 0.6 points to the two models it shares a provider with, judge "soft" adds 0.3
 * points to everything, judge "long" adds 0.5 points per standard deviation of answer length.
 */
class JudgeDiagnosticsTest {
  static final double SELF = 0.6;
  static final double SOFT = 0.3;
  static final Set<String> RELATED = Set.of("m0", "m1");

  static List<JudgeDiagnostics.Unit> panel() {
    SplittableRandom rng = new SplittableRandom(2026);
    List<JudgeDiagnostics.Unit> units = new ArrayList<>();
    for (int q = 0; q < 80; q++) {
      double difficulty = rng.nextGaussian();
      for (int m = 0; m < 6; m++) {
        double quality = 3 + difficulty + 0.5 * rng.nextGaussian();
        double z = rng.nextGaussian(); // answer length in standard deviations
        String model = "m" + m;
        Map<String, Double> s = new TreeMap<>();
        s.put("own", quality + (RELATED.contains(model) ? SELF : 0) + 0.3 * rng.nextGaussian());
        s.put("soft", quality + SOFT + 0.3 * rng.nextGaussian());
        s.put("long", quality + 0.5 * z + 0.3 * rng.nextGaussian());
        units.add(new JudgeDiagnostics.Unit(q, model, 200 + 50 * z, s));
      }
    }
    return units;
  }

  @Test
  void plantedSelfPreferenceIsRecoveredWithinItsInterval() {
    JudgeDiagnostics.Result r = JudgeDiagnostics.of("own", panel(), RELATED, 0.95, 4000, 1);
    // own - mean(others) on related units: SELF - SOFT/2; on the rest: -SOFT/2. The difference: SELF.
    assertEquals(SELF, r.selfPreference().value(), 0.1, r.toString());
    assertTrue(r.selfPreference().lower() < SELF && SELF < r.selfPreference().upper(), r.toString());
    assertTrue(r.selfPreference().lower() > 0.3, r.toString());
    assertEquals(160, r.relatedUnits());
  }

  @Test
  void judgesWithoutSelfPreferenceShowNone() {
    JudgeDiagnostics.Result r = JudgeDiagnostics.of("soft", panel(), RELATED, 0.95, 4000, 2);
    // soft - mean(own, long) = SOFT - SELF/2 on related units, SOFT on the rest: -SELF/2.
    assertEquals(-SELF / 2, r.selfPreference().value(), 0.1, r.toString());
    // Leniency: SOFT - (SELF/2 on a third of the units) = SOFT - SELF/6.
    assertEquals(SOFT - SELF / 6, r.leniency().value(), 0.06, r.toString());
    assertTrue(r.leniency().lower() < SOFT - SELF / 6 && SOFT - SELF / 6 < r.leniency().upper(), r.toString());
  }

  @Test
  void lengthBiasIsAWithinQuestionCorrelation() {
    JudgeDiagnostics.Result biased = JudgeDiagnostics.of("long", panel(), RELATED, 0.95, 2000, 3);
    JudgeDiagnostics.Result fair = JudgeDiagnostics.of("soft", panel(), RELATED, 0.95, 2000, 3);
    // Within question: score = quality + 0.5 z + noise, quality's spread 0.5 and noise 0.3, so
    // r = 0.5 / sqrt(0.25 + 0.25 + 0.09) = 0.65 (less the small loss of centring on 6 answers).
    assertEquals(0.5 / Math.sqrt(0.59), biased.lengthBias().value(), 0.08, biased.toString());
    assertTrue(biased.lengthBias().lower() > 0.4, biased.toString());
    // No planted length effect: r of 480 units (400 degrees of freedom after centring) is within
    // about 0.05 of 0; 0.2 is four standard errors.
    assertTrue(Math.abs(fair.lengthBias().value()) < 0.2, fair.toString());
  }
}
