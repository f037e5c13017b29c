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
    assertEquals(20 + 1000, RunLedger.worstCaseTokens(SPEC, "s".repeat(10), "u".repeat(30)));
    assertEquals(20 * 3 + 1000 * 15, RunLedger.worstCaseMicros(SPEC, "s".repeat(10), "u".repeat(30)));
  }

  @Test
  void capRefusesTheCallThatCouldPassItAndCountsWhatWasSpent() {
    RunLedger ledger = RunLedger.detached();
    double cap = 0.04; // 40,000 micro-dollars: two worst cases of 15,060 fit, a third does not
    long worst = RunLedger.worstCaseMicros(SPEC, "s".repeat(10), "u".repeat(30));
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
}
