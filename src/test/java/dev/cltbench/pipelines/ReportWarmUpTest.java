package dev.cltbench.pipelines;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The warm-up waits for answers before it uses a core, and a run that ends first stops it waiting. */
class ReportWarmUpTest {
  @Test
  void itWaitsForTheFirstAnswersThenWarmsUp() throws Exception {
    AtomicBoolean arriving = new AtomicBoolean(false);
    AtomicInteger asked = new AtomicInteger();
    CountDownLatch askedAfterArrival = new CountDownLatch(1);
    try (ReportWarmUp w = ReportWarmUp.start(true, () -> {
      asked.incrementAndGet();
      if (arriving.get()) {
        askedAfterArrival.countDown();
      }
      return arriving.get();
    })) {
      Thread.sleep(350);
      assertTrue(asked.get() >= 2, "polled while no answer had arrived: " + asked.get());
      arriving.set(true);
      assertTrue(askedAfterArrival.await(5, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (thread() != null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(thread() == null, "the warm-up ends by itself");
      int polls = asked.get();
      Thread.sleep(300);
      assertTrue(asked.get() == polls, "no polling once warmed up");
    }
  }

  @Test
  void aRunThatEndsFirstStopsItWaiting() throws Exception {
    ReportWarmUp w = ReportWarmUp.start(true, () -> false);
    Thread waiting = thread();
    assertTrue(waiting != null && waiting.isAlive());
    w.close();
    waiting.join(5_000);
    assertFalse(waiting.isAlive(), "interrupted by close");
  }

  @Test
  void nothingStartsWhenTheReportRunsOnACluster() {
    RunOptions o = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081")
        .as(RunOptions.class);
    assertTrue(FlinkMaster.isRemote(o));
    assertFalse(FlinkMaster.isRemote(PipelineOptionsFactory.fromArgs("--runner=FlinkRunner")
        .as(RunOptions.class)), "embedded Flink runs the report in this JVM");
    assertFalse(FlinkMaster.isRemote(PipelineOptionsFactory.create()));
    AtomicInteger asked = new AtomicInteger();
    try (ReportWarmUp w = ReportWarmUp.start(false, () -> asked.incrementAndGet() > 0)) {
      assertTrue(thread() == null);
    }
  }

  private static Thread thread() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("report-warm-up"))
        .filter(Thread::isAlive).findFirst().orElse(null);
  }
}
