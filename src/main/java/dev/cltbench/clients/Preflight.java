package dev.cltbench.clients;

import dev.cltbench.study.ConfigurationException;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The checks made before any call: every configuration problem that would make all calls of a model
 * or judge fail, listed together, so a run never turns one of them into a dead letter per tuple.
 */
public final class Preflight {
  private Preflight() {}

  /**
   * @param called the models and judges the command will call
   * @param budgetUsd the --budgetUsd cap or null
   */
  public static void check(List<ModelSpec> called, Double budgetUsd, Function<String, String> env) {
    List<String> problems = problems(called, budgetUsd);
    if (problems.isEmpty()) {
      List<String> missing = missingKeys(called, env);
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("missing API keys (set these environment variables; "
            + "nothing was called): " + String.join(", ", missing));
      }
      return;
    }
    List<ModelSpec> known = called.stream().filter(m -> ModelClients.configurationProblems(m).stream()
        .noneMatch(p -> p.contains("unknown provider"))).toList();
    for (String m : missingKeys(known, env)) {
      problems.add("missing API key " + m);
    }
    throw new ConfigurationException(problems);
  }

  /** The problems that need no environment: unknown providers, addresses, prices under a budget. */
  public static List<String> problems(List<ModelSpec> called, Double budgetUsd) {
    List<String> problems = new ArrayList<>();
    List<String> unpriced = new ArrayList<>();
    for (ModelSpec m : called) {
      problems.addAll(ModelClients.configurationProblems(m));
      if (m.inputPricePerMillion() == null || m.outputPricePerMillion() == null) {
        unpriced.add(m.name());
      }
    }
    if (budgetUsd != null && !unpriced.isEmpty()) {
      problems.add("--budgetUsd=" + budgetUsd + " cannot be kept: no input_price_per_million/"
          + "output_price_per_million for " + String.join(", ", unpriced));
    }
    return problems;
  }

  /** For commands that call nothing but name judges (report): unknown providers are still an error. */
  public static void checkProviders(PipelineDefinition definition, String file) {
    List<String> problems = new ArrayList<>();
    for (ModelSpec j : definition.panel()) {
      for (String p : ModelClients.configurationProblems(j)) {
        if (p.contains("unknown provider")) {
          problems.add(file + ": judge " + p.substring("model ".length()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /**
   * The checks that stop a run before any call (a dry run makes them too): known providers, every key
   * set, something to evaluate. Recorded answers being re-graded call only the judges: only their keys
   * are needed.
   */
  public static void checkBeforeCalls(PipelineDefinition definition, boolean callsModels, long expectedTuples,
      Double budgetUsd, Function<String, String> env) {
    List<ModelSpec> called = new ArrayList<>(definition.panel());
    if (callsModels) {
      called.addAll(definition.models());
    }
    check(called, budgetUsd, env);
    if (expectedTuples == 0) {
      throw new IllegalArgumentException("nothing to evaluate: the benchmark has no questions");
    }
  }

  /** Like "OPENAI_API_KEY (models gpt-4o, gpt-5)", one per unset variable, sorted. */
  public static List<String> missingKeys(PipelineDefinition def, Function<String, String> env) {
    List<ModelSpec> all = new ArrayList<>(def.models());
    all.addAll(def.panel());
    return missingKeys(all, env);
  }

  /** As above, for the models and judges a command will actually call. */
  public static List<String> missingKeys(List<ModelSpec> called, Function<String, String> env) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : ModelClients.missingKeys(called, env).entrySet()) {
      out.add(e.getKey() + " (models " + String.join(", ", e.getValue()) + ")");
    }
    return out;
  }
}
