package dev.cltbench.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HolmTest {
  @Test
  void matchesAHandWorkedExampleInInputOrder() {
    // m = 5, sorted p: 0.01, 0.02, 0.03, 0.04, 0.50 (given shuffled).
    // Step-down multipliers 5, 4, 3, 2, 1: 0.05, 0.08, 0.09, 0.08 -> 0.09 (running max), 0.50.
    double[] p = {0.04, 0.01, 0.50, 0.03, 0.02};
    assertArrayEquals(new double[] {0.09, 0.05, 0.50, 0.09, 0.08}, Holm.adjust(p), 1e-12);
  }

  @Test
  void capsAtOneAndKeepsTiesEqual() {
    // m = 4, sorted 0.001, 0.3, 0.3, 0.6: 4 * 0.001, 3 * 0.3 = 0.9, 2 * 0.3 = 0.6 -> 0.9, 0.6 -> 0.9.
    assertArrayEquals(new double[] {0.9, 0.9, 0.9, 0.004}, Holm.adjust(new double[] {0.3, 0.3, 0.6, 0.001}), 1e-12);
    // Sorted 0.001, 0.4, 0.4, 0.6: 0.004, 3 * 0.4 = 1.2 -> 1, then 1 by the running maximum.
    assertArrayEquals(new double[] {1, 1, 1, 0.004}, Holm.adjust(new double[] {0.4, 0.4, 0.6, 0.001}), 1e-12);
    assertArrayEquals(new double[] {}, Holm.adjust(new double[] {}));
    assertArrayEquals(new double[] {0.2}, Holm.adjust(new double[] {0.2}));
  }

  @Test
  void rejectsValuesThatAreNotProbabilities() {
    assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {0.1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {1.5}));
  }
}
