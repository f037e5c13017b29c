package dev.cltbench.emulator;

import dev.cltbench.clients.ModelClients;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The model emulator a pipeline file asks for: started on 127.0.0.1 when some model or judge names
 * base_url {@code emulator}, with the settings of the file's emulator section, and stopped on close.
 */
public final class EmulatorForPipeline implements AutoCloseable {
  private final ModelEmulator emulator;

  private EmulatorForPipeline(ModelEmulator emulator) {
    this.emulator = emulator;
  }

  private static List<ModelSpec> all(PipelineDefinition def) {
    List<ModelSpec> all = new ArrayList<>(def.models());
    all.addAll(def.panel());
    return all;
  }

  /** Starts the emulator if some model or judge uses it (settings from the pipeline's emulator section). */
  public static EmulatorForPipeline startIfNeeded(PipelineDefinition def) throws IOException {
    boolean needed = all(def).stream().anyMatch(m -> PipelineDefinition.EMULATOR_URL.equals(m.baseUrl()));
    if (!needed) {
      return new EmulatorForPipeline(null);
    }
    PipelineDefinition.EmulatorSettings s = def.emulator();
    ModelEmulator.Builder b = ModelEmulator.builder();
    if (s != null && s.replay() != null) {
      b.responder(ReplayResponder.load(s.replay(), def));
    } else {
      b.responder(new SyntheticResponder(def));
    }
    if (s != null && s.latencyMs() != null) {
      b.latency(Duration.ofMillis(s.latencyMs()));
    }
    if (s != null && s.latencyScale() != null) {
      b.latencyScale(s.latencyScale());
    }
    if (s != null && s.faultRate() != null && s.faultRate() > 0) {
      // A timeout fault must outlast the longest client timeout of the run to be one.
      int timeout = all(def).stream().mapToInt(m -> ModelClients.timeoutSeconds(def.limit(m))).max().orElse(120);
      b.faults(FaultPlan.uniform(s.faultRate(), s.seed() == null ? 0 : s.seed())
          .withHang(Duration.ofSeconds(timeout + 1)));
    }
    if (s != null && s.refuseModels() != null && !s.refuseModels().isEmpty()) {
      java.util.Set<String> refused = java.util.Set.copyOf(s.refuseModels());
      b.permanentFault(r -> refused.contains(r.modelId()), FaultPlan.Fault.REFUSAL);
    }
    if (s != null && s.accountQuota() != null) {
      b.accountQuota(s.accountQuota().requestsPerMinute(),
          s.accountQuota().burst() == null ? 0 : s.accountQuota().burst());
    }
    if (s != null && s.models() != null) {
      // Keyed by model name in the file, by the id on the wire in the emulator.
      s.models().forEach((name, m) -> b.behaviour(ModelClients.wireModelId(def.anyModel(name).orElseThrow()),
          new ModelEmulator.Behaviour(m.truncate(), Boolean.TRUE.equals(m.noText()), m.inputTokens(),
              m.outputTokens(), m.reasoningTokens() == null ? 0 : m.reasoningTokens(), m.billedInputTokens(),
              m.billedOutputTokens(), m.reasoning(), m.proseRate() == null ? 0 : m.proseRate())));
    }
    return new EmulatorForPipeline(b.start());
  }

  /** The emulator's address (what replaces base_url "emulator"), or null when none runs. */
  public String url() {
    return emulator == null ? null : emulator.baseUrl();
  }

  public boolean active() {
    return emulator != null;
  }

  public ModelEmulator emulator() {
    return emulator;
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
