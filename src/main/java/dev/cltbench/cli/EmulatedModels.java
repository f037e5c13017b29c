package dev.cltbench.cli;

import dev.cltbench.clients.ModelCalls;
import dev.cltbench.study.PipelineDefinition;
import java.util.List;
import java.util.function.Function;

/** Placeholder until the provider clients and the emulator land (they replace this file). */
final class EmulatedModels implements AutoCloseable {
  static EmulatedModels startIfNeeded(PipelineDefinition definition) {
    throw new UnsupportedOperationException("provider clients are not built yet");
  }

  static List<String> missingKeys(PipelineDefinition definition, Function<String, String> env) {
    return List.of();
  }

  static ModelCalls.ClientFactory clientFactory(PipelineDefinition definition) {
    throw new UnsupportedOperationException("provider clients are not built yet");
  }

  String url() {
    return null;
  }

  boolean active() {
    return false;
  }

  @Override
  public void close() {}
}
