package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.clients.EndpointLimits;
import dev.cltbench.clients.RunLedger;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.Limit;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudySubset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * The calling DoFn keeps many calls in flight per bundle, never more than an endpoint allows, outputs
 * every tuple exactly once, releases its per-worker resources when torn down, and reports the judges'
 * waits on limits to Beam's throttling counter.
 */
class EvaluateTuplesInFlightTest {
  private static final int QUESTIONS = 60;

  private static PipelineDefinition direct() {
    PipelineDefinition whole = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    return whole.withModelsAndConditions(List.of(whole.model("emu-openai").orElseThrow()),
        List.of(whole.condition("C2").orElseThrow()));
  }

  private static List<Questions.Question> questions(int n) {
    List<Questions.Question> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new Questions.Question(i, "culture",
          Map.of("english", "Why " + i + "?", "kazakh", "Неге " + i + "?", "mongolian", "Яагаад " + i + "?"), null));
    }
    return out;
  }

  private static PCollection<EvaluationTuple> evaluate(TestPipeline p, PipelineDefinition def, FakeModel fake,
      int questions) {
    return p.apply(Create.of(questions(questions)).withCoder(Questions.questionCoder()))
        .apply(new QuestionsToTuples(def, StudySubset.all()))
        .apply(new EvaluateTuples(def, fake.calls(def)));
  }

  @Test
  void manyCallsAreInFlightWithinTheEndpointsBoundAndEveryTupleComesOutOnce() {
    int concurrency = 6;
    // The model and both judges share one endpoint: a tuple's answer and its two verdicts count alike.
    PipelineDefinition def = direct().withLimitGroups(m -> "one-endpoint",
        Map.of("one-endpoint", new Limit(concurrency, 0, 0, 1, 30)));
    FakeModel fake = new FakeModel("in-flight", StrategiesOnFakeModelTest::reply, 40);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PAssert.that(evaluate(p, def, fake, QUESTIONS)).satisfies(all -> {
      Set<String> keys = new HashSet<>();
      int n = 0;
      for (EvaluationTuple t : all) {
        n++;
        assertNull(t.failure(), t.key());
        assertEquals(2, t.judgments().size(), t.key());
        keys.add(t.key());
      }
      assertEquals(QUESTIONS, n, "every tuple comes out");
      assertEquals(QUESTIONS, keys.size(), "and none twice");
      return null;
    });
    p.run().waitUntilFinish();
    assertEquals(QUESTIONS * 3, fake.calls().size(), "one answer and two verdicts a tuple, none repeated");
    // More in flight than the DirectRunner has threads (3 on two cores), and never above the limit.
    assertEquals(concurrency, fake.peakInFlight());
    assertEquals(0, EndpointLimits.open(), "the endpoint was released in @Teardown");
    assertEquals(0, RunLedger.open(), "so was the run's ledger");
  }

  @Test
  void judgesWaitsOnTheirLimitsReachBeamsThrottlingCounter() {
    // Only the judges are paced (1,200 requests a minute: one every 50 ms); the model is not.
    PipelineDefinition base = direct();
    Set<String> judges = new HashSet<>();
    base.panel().forEach(j -> judges.add(j.name()));
    PipelineDefinition def = base.withLimitGroups(m -> judges.contains(m.name()) ? "judges" : "models",
        Map.of("judges", new Limit(8, 1200, 0, 1, 30), "models", new Limit(8, 0, 0, 1, 30)));
    FakeModel fake = new FakeModel("throttled", StrategiesOnFakeModelTest::reply);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    evaluate(p, def, fake, 10);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long throttled = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME))
        .build()).getCounters()) {
      throttled += c.getAttempted();
    }
    // 20 verdicts at one every 50 ms take at least 950 ms to start; whatever arrives together waits.
    assertTrue(throttled > 0, "judges' waits on their limit are counted: " + throttled + " ms");
  }
}
