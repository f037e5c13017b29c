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
}
