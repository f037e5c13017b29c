package dev.cltbench.transforms;

import dev.cltbench.study.PipelineDefinition;

/** Score ranges of the rubric's criteria. */
final class Rubrics {
  private Rubrics() {}

  static int max(PipelineDefinition def, String criterion) {
    return def.rubric().criteria().stream().filter(c -> c.name().equals(criterion)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("rubric has no criterion " + criterion))
        .max();
  }

  static int maxTotal(PipelineDefinition def) {
    return def.rubric().criteria().stream().mapToInt(PipelineDefinition.Criterion::max).sum();
  }

  /**
   * The factor a unit's scores carry when the study has epochs: the least common multiple of 1..K, so
   * the mean of any k <= K epochs is an integer in these units (1 without epochs). See {@link MeanOverEpochs}.
   */
  static long epochScale(PipelineDefinition def) {
    long l = 1;
    for (int k = 2; k <= def.epochsOrDefault(); k++) {
      l = l / gcd(l, k) * k;
    }
    return l;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** A criterion's maximum in the units of {@link #epochScale}. */
  static int scaledMax(PipelineDefinition def, String criterion) {
    return Math.toIntExact(max(def, criterion) * epochScale(def));
  }

  static int scaledMaxTotal(PipelineDefinition def) {
    return Math.toIntExact(maxTotal(def) * epochScale(def));
  }
}
