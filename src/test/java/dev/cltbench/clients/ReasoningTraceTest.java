package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The trace is split from the answer as each mode says, whatever the texts hold. */
class ReasoningTraceTest {
  static ModelSpec spec(String provider, String mode, List<String> tags) {
    return new ModelSpec("m", provider, "x", "f", null, null, null, 512, null, null, null, null, null, null, null,
        null, null, null, null, mode, tags, null, null, null);
  }

  static final ReasoningTrace TAGS = ReasoningTrace.of(spec("vllm", null, null));

  @Test
  void defaultsFollowTheProvider() {
    assertEquals("none", spec("openai", null, null).reasoningMode());
    for (String p : List.of("vllm", "ollama", "llamacpp", "huggingface", "together", "deepseek", "xai",
        "openai-compatible")) {
      assertEquals("think-tags", spec(p, null, null).reasoningMode(), p);
    }
    for (String p : List.of("anthropic", "gemini", "cohere")) {
      assertEquals("field", spec(p, null, null).reasoningMode(), p);
    }
    assertEquals("none", spec("vllm", "none", null).reasoningMode());
  }

  @Test
  void qwenStyleInlineTraceIsTakenOut() {
    var s = TAGS.split("<think>\nThe user asks about Astana. Let me recall.\n</think>\n\nАстана — Қазақстанның астанасы.",
        null);
    assertEquals("Астана — Қазақстанның астанасы.", s.answer());
    assertEquals("The user asks about Astana. Let me recall.", s.trace());
    assertFalse(s.unclosed());
  }

  @Test
  void aClosingTagAloneEndsATraceWhoseOpeningTagWasInThePrompt() {
    var s = TAGS.split("Let me think.\n</think>\nЖауап.", null);
    assertEquals("Жауап.", s.answer());
    assertEquals("Let me think.", s.trace());
  }

  @Test
  void anEmptyBlockIsNoTrace() {
    var s = TAGS.split("<think>\n\n</think>\n\nЖауап.", null);
    assertEquals("Жауап.", s.answer());
    assertNull(s.trace());
  }

  @Test
  void aTraceNeverClosedLeavesNoAnswer() {
    var s = TAGS.split("  <think>\nOkay, the user wants", null);
    assertNull(s.answer());
    assertEquals("Okay, the user wants", s.trace());
    assertTrue(s.unclosed());
  }

  @Test
  void fieldTracesAreKeptAndJoinedWithInlineOnes() {
    var s = TAGS.split("<think>b</think>answer", "a");
    assertEquals("answer", s.answer());
    assertEquals("a\n\nb", s.trace());
    var field = ReasoningTrace.of(spec("deepseek", "field", null)).split("<think>x</think>y", "r");
    assertEquals("<think>x</think>y", field.answer(), "field mode leaves the text alone");
    assertEquals("r", field.trace());
    var none = ReasoningTrace.of(spec("deepseek", "none", null)).split("<think>x</think>y", "r");
    assertEquals("<think>x</think>y", none.answer());
    assertNull(none.trace());
  }

  @Test
  void tagsAreConfigurable() {
    ReasoningTrace t = ReasoningTrace.of(spec("vllm", "think-tags", List.of("<reasoning>", "</reasoning>")));
    var s = t.split("<reasoning>hmm</reasoning> Yes.", null);
    assertEquals("Yes.", s.answer());
    assertEquals("hmm", s.trace());
    assertEquals("<think>a</think>b", t.split("<think>a</think>b", null).answer());
  }

  @Test
  void anAnswerThatMentionsTagsLaterIsLeftWhole() {
    String a = "Use <think> and </think> tags, e.g. \"<think>\" & more.";
    assertEquals(a, TAGS.split(a, null).answer());
    assertNull(TAGS.split(a, null).trace());
  }

  @Test
  void reasoningTokensAreEstimatedOnlyWhereTheReplySaidNone() {
    Usage said = new Usage(10, 100, 40, null, null);
    assertEquals(said, ReasoningTrace.counted(said, "ab", "cdef"));
    Usage none = new Usage(10, 90, 0, null, null);
    assertEquals(60, ReasoningTrace.counted(none, "abc", "defghi").reasoningTokens());
    assertEquals(0, ReasoningTrace.counted(none, "abc", null).reasoningTokens());
  }

  /** Whatever the answer and trace hold (quotes, &lt;, &amp;, tags' halves), they come back apart. */
  @Test
  void anyTraceAndAnswerComeBackApart() {
    String alphabet = "ab <>&\"'/\n\tқә</think<think>";
    SplittableRandom rnd = new SplittableRandom(25);
    for (int n = 0; n < 2000; n++) {
      String t = random(rnd, alphabet).replace("</think>", "").strip();
      String a = random(rnd, alphabet).strip();
      var s = TAGS.split("<think>" + t + "</think>" + a, null);
      assertEquals(a, s.answer(), t + " | " + a);
      assertEquals(t.isEmpty() ? null : t, s.trace());
      assertFalse(s.unclosed());
    }
  }

  private static String random(SplittableRandom rnd, String alphabet) {
    StringBuilder sb = new StringBuilder();
    int len = rnd.nextInt(40);
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
