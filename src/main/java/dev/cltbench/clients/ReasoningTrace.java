package dev.cltbench.clients;

import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.Serializable;
import java.util.List;

/**
 * Keeps a reasoning model's trace apart from its answer: the trace is never graded, identified or
 * counted as the answer. Hand-written: the rule is two string searches (what lm-evaluation-harness
 * does with its think_end_token), no library holds it.
 *
 * <p>With {@code think-tags}, a text that starts with the opening tag (after white space) is the trace
 * up to the closing tag and the answer after it; a text with a closing tag and no opening tag before it
 * (DeepSeek-R1's chat template puts the opening tag in the prompt) is the trace up to the closing tag.
 * An opening tag never closed leaves no answer: the reply was cut inside its reasoning.
 */
public record ReasoningTrace(String mode, String open, String close) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Today's behaviour: the text as sent, no trace kept. */
  public static final ReasoningTrace NONE = new ReasoningTrace(ModelSpec.REASONING_NONE, null, null);

  public static ReasoningTrace of(ModelSpec spec) {
    List<String> tags = spec.reasoningTagsOrDefault();
    return new ReasoningTrace(spec.reasoningMode(), tags.get(0), tags.get(1));
  }

  /** The answer and the trace of one reply; {@code unclosed}: the trace never ended (no answer). */
  public record Split(String answer, String trace, boolean unclosed) {}

  public boolean keepsFields() {
    return !ModelSpec.REASONING_NONE.equals(mode);
  }

  public boolean readsTags() {
    return ModelSpec.THINK_TAGS.equals(mode);
  }

  /**
   * The answer and trace of a reply whose text is {@code text} and whose own reasoning field or blocks
   * said {@code fieldTrace} (either may be null).
   */
  public Split split(String text, String fieldTrace) {
    String field = keepsFields() && fieldTrace != null && !fieldTrace.isEmpty() ? fieldTrace : null;
    if (!readsTags() || text == null) {
      return new Split(text, field, false);
    }
    String lead = text.stripLeading();
    if (lead.startsWith(open)) {
      int end = lead.indexOf(close, open.length());
      if (end < 0) {
        return new Split(null, join(field, lead.substring(open.length()).strip()), true);
      }
      return new Split(lead.substring(end + close.length()).strip(),
          join(field, lead.substring(open.length(), end).strip()), false);
    }
    int end = text.indexOf(close);
    if (end >= 0 && text.lastIndexOf(open, end) < 0) {
      return new Split(text.substring(end + close.length()).strip(), join(field, text.substring(0, end).strip()),
          false);
    }
    return new Split(text, field, false);
  }

  /** Both traces, or null when neither says anything (Qwen3 sends an empty block with thinking off). */
  private static String join(String a, String b) {
    if (a == null || a.isEmpty()) {
      return b == null || b.isEmpty() ? null : b;
    }
    return b == null || b.isEmpty() ? a : a + "\n\n" + b;
  }

  /**
   * Usage with the trace counted as reasoning where the reply did not say how much of its output was
   * reasoning: the output tokens shared by the trace's and the answer's lengths in characters (an
   * estimate; the provider bills them all as output either way).
   */
  static Usage counted(Usage u, String answer, String trace) {
    if (trace == null || trace.isEmpty() || u.reasoningTokens() > 0 || u.outputTokens() <= 0) {
      return u;
    }
    long a = answer == null ? 0 : answer.length();
    long share = Math.round(u.outputTokens() * (double) trace.length() / (trace.length() + a));
    return new Usage(u.inputTokens(), u.outputTokens(), Math.min(u.outputTokens(), share), u.billedInputTokens(),
        u.billedOutputTokens());
  }
}
