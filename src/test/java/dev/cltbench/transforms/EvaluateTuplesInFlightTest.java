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

  /** Every model call of {@link #longestChainsStartFirstWhenTheWindowIsFull}, in the order made. */
  private static final List<String[]> ORDERED = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The questions of {@code n} as one bundle (one element fanned out), as a run reads one file. */
  static final class OneBundleFn extends org.apache.beam.sdk.transforms.DoFn<Integer, Questions.Question> {
    @ProcessElement
    public void process(@Element Integer n, OutputReceiver<Questions.Question> out) {
      questions(n).forEach(out::output);
    }
  }

  @Test
  void longestChainsStartFirstWhenTheWindowIsFull() {
    // One model at concurrency 1 (a window of 2 chains): per question a direct tuple (C2, one call
    // before the judges) arrives before a pipeline-transfer one (C4, three calls in a row).
    PipelineDefinition whole = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    PipelineDefinition base = whole.withModelsAndConditions(List.of(whole.model("emu-openai").orElseThrow()),
        List.of(whole.condition("C2").orElseThrow(), whole.condition("C4").orElseThrow()));
    Set<String> judges = new HashSet<>();
    base.panel().forEach(j -> judges.add(j.name()));
    PipelineDefinition def = base.withLimitGroups(m -> judges.contains(m.name()) ? "judges" : "models",
        Map.of("judges", new Limit(8, 0, 0, 1, 30), "models", new Limit(1, 0, 0, 1, 30)));
    ORDERED.clear();
    FakeModel fake = new FakeModel("longest-first", (model, system, user) -> {
      if (!model.startsWith("emu-judge")) {
        ORDERED.add(new String[] {system, user});
      }
      return StrategiesOnFakeModelTest.reply(model, system, user);
    }, 30);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(Create.of(3)).apply(org.apache.beam.sdk.transforms.ParDo.of(new OneBundleFn()))
        .setCoder(Questions.questionCoder())
        .apply(new QuestionsToTuples(def, StudySubset.all()))
        .apply(new EvaluateTuples(def, fake.calls(def)));
    p.run().waitUntilFinish();
    assertEquals(3 + 3 * 3, ORDERED.size(), "one answer per C2 tuple, three calls per C4 tuple");
    // The window takes the first two arrivals (C2 and C4 of question 1); as it frees, the C4 tuples of
    // questions 2 and 3 start before the C2 tuples that arrived ahead of them.
    String directSystem = ORDERED.get(0)[0];
    assertEquals("Неге 1?", ORDERED.get(0)[1], "the first arrival starts first");
    int direct2 = -1;
    for (int i = 0; i < ORDERED.size(); i++) {
      if (ORDERED.get(i)[0].equals(directSystem) && ORDERED.get(i)[1].equals("Неге 2?")) {
        direct2 = i;
      }
    }
    assertTrue(direct2 > 0, "question 2's direct answer was made");
    for (String q : List.of("Неге 2?", "Неге 3?")) {
      boolean before = false;
      for (int i = 0; i < direct2; i++) {
        before |= !ORDERED.get(i)[0].equals(directSystem) && ORDERED.get(i)[1].contains(q);
      }
      assertTrue(before, "the pipeline transfer of " + q + " started before question 2's direct answer");
    }
  }
}
