package dev.cltbench.study;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every condition type by the name a pipeline file gives it: the one place a new type is added. */
public final class ConditionTypes {
  private ConditionTypes() {}

  private static final Map<String, ConditionType> BY_NAME = new LinkedHashMap<>();

  static {
    for (ConditionType t : List.of(new DirectCondition(), new SelfTransferCondition(),
        new PipelineTransferCondition(), new TranslateTestCondition())) {
      BY_NAME.put(t.name(), t);
    }
  }

  public static Optional<ConditionType> of(String name) {
    return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
  }

  /** The known names, in the registry's order. */
  public static Set<String> names() {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(BY_NAME.keySet()));
  }
}
