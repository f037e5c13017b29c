package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunLedgerTest {
  // 3 USD per million tokens in, 15 out.
  static final ModelSpec SPEC = new ModelSpec("m", "openai", "m-1", "english-first", "emulator", null,
      null, 1000, null, null, null, 3.0, 15.0);

  @Test
  void worstCaseIsPromptAtTwoCharactersATokenPlusMaxTokens() {
    // 10 + 30 characters = 20 tokens in, 1000 out: 20 * 3 + 1000 * 15 micro-dollars.
    Call call = new Call("answer", "m", "s".repeat(10), "u".repeat(30));
    assertEquals(20 + 1000, RunLedger.worstCaseTokens(SPEC, call));
    assertEquals(20 * 3 + 1000 * 15, RunLedger.worstCaseMicros(SPEC, call));
  }

  @Test
  void capRefusesTheCallThatCouldPassItAndCountsWhatWasSpent() {
    RunLedger ledger = RunLedger.detached();
    double cap = 0.04; // 40,000 micro-dollars: two worst cases of 15,060 fit, a third does not
    long worst = RunLedger.worstCaseMicros(SPEC, new Call("answer", "m", "s".repeat(10), "u".repeat(30)));
    Optional<Long> a = ledger.reserve(cap, worst);
    Optional<Long> b = ledger.reserve(cap, worst);
    assertTrue(a.isPresent() && b.isPresent());
    assertTrue(ledger.reserve(cap, worst).isEmpty(), "a third reservation would pass the cap");
    assertEquals(1, ledger.refusedCalls());
    // The calls cost less than their worst case: settling frees room for another call.
    ledger.settle(a.get(), RunLedger.costMicros(SPEC, 20, 100));
    ledger.settle(b.get(), RunLedger.costMicros(SPEC, 20, 100));
    assertEquals(2 * (20 * 3 + 100 * 15) / 1e6, ledger.spentUsd(), 1e-12);
    assertTrue(ledger.reserve(cap, worst).isPresent());
  }

  @Test
  void noCapNeverRefuses() {
    RunLedger ledger = RunLedger.detached();
    for (int i = 0; i < 1000; i++) {
      assertTrue(ledger.reserve(null, Long.MAX_VALUE / 2000).isPresent());
    }
    assertEquals(0, ledger.refusedCalls());
  }

  /**
   * A structured judge's request carries the rubric's schema under its provider's own field (a
   * response_format, a forced tool, a responseSchema), and every provider bills it as input: the
   * reserve and the dry run count it, at no fewer tokens than four characters a token (the rate of
   * English, the cheapest the class comment names) of what the request actually carries.
   */
  @Test
  void aStructuredJudgesReserveCountsTheSchemaItsRequestCarries() {
    String system = "s".repeat(100);
    String user = "u".repeat(300);
    java.util.Map<String, String> field = java.util.Map.of("openai", "/response_format", "anthropic", "/tools",
        "gemini", "/generationConfig/responseSchema", "cohere", "/response_format");
    for (var e : field.entrySet()) {
      ModelSpec judge = StructuredAndReasoningConformanceTest.judge(e.getKey(), "judge-x", null);
      ResponseSchema schema = StructuredAndReasoningConformanceTest.VERDICT;
      com.fasterxml.jackson.databind.JsonNode sent = WireProtocol.of(judge)
          .body("judge-x", new ChatRequest(system, user, 512, null, null, schema)).at(e.getValue());
      assertTrue(sent.isContainerNode(), e.getKey() + ": no schema at " + e.getValue());
      long counted = RunLedger.promptTokens(system, user, schema) - RunLedger.promptTokens(system, user, null);
      assertTrue(counted >= sent.toString().length() / 4, e.getKey() + ": " + counted + " tokens for " + sent);
      assertEquals(RunLedger.worstCaseTokens(judge, new Call("judge", "j", system, user)) + counted,
          RunLedger.worstCaseTokens(judge, new Call("judge", "j", system, user).withSchema(schema)));
    }
  }
}
