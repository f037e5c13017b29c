package dev.cltbench.clients;

import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.Serializable;

/**
 * The tokens one reply reports. {@code outputTokens} counts every generated token the provider bills
 * as output, reasoning included (OpenAI's completion_tokens already include reasoning_tokens; for
 * Gemini it is candidatesTokenCount + thoughtsTokenCount; Anthropic's output_tokens include thinking
 * but report no split). {@code reasoningTokens} is the reasoning share of it where the provider says.
 * {@code billedInputTokens}/{@code billedOutputTokens} are set where the provider bills other units
 * than the model saw (Cohere's usage.billed_units); null means the tokens are what is billed.
 */
public record Usage(long inputTokens, long outputTokens, long reasoningTokens, Long billedInputTokens,
    Long billedOutputTokens) implements Serializable {
  public static final Usage NONE = new Usage(0, 0, 0, null, null);

  public long billedInput() {
    return billedInputTokens != null ? billedInputTokens : inputTokens;
  }

  public long billedOutput() {
    return billedOutputTokens != null ? billedOutputTokens : outputTokens;
  }

  /** What the provider bills for this reply at the model's prices, in micro-dollars. */
  public long costMicros(ModelSpec spec) {
    return RunLedger.costMicros(spec, billedInput(), billedOutput());
  }

  public Usage plus(Usage o) {
    return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
        reasoningTokens + o.reasoningTokens, sum(billedInputTokens, o.billedInputTokens, inputTokens, o.inputTokens),
        sum(billedOutputTokens, o.billedOutputTokens, outputTokens, o.outputTokens));
  }

  private static Long sum(Long a, Long b, long ta, long tb) {
    return a == null && b == null ? null : (a != null ? a : ta) + (b != null ? b : tb);
  }
}
