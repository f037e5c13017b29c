package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's durable call log as two workers write it, one of them lost mid-call: every call sent is
 * counted, tuples once however often they ended, and a line still being written waits for its end.
 */
class CallLogTest {
  @TempDir Path tmp;

  private static final Usage USAGE = new Usage(100, 40, 0, null, null);

  @Test
  void countsEveryCallSentAndEachTupleOnce() throws Exception {
    String dir = tmp.resolve("calls").toString();
    CallLog lost = new CallLog(dir);
    lost.attempt("x1", "gpt", 900);
    lost.call("x1", "gpt", "k1", 1, false, USAGE, 700, true);
    lost.tuple("t1", true);
    lost.attempt("x2", "gpt", 950); // the worker dies here: sent, never answered
    CallLog survivor = new CallLog(dir);
    survivor.attempt("x3", "gpt", 900);
    survivor.attempt("x3", "gpt", 900); // a retry
    survivor.call("x3", "gpt", "k2", 2, false, USAGE, 700, true);
    survivor.tuple("t1", true); // the restarted job ends t1 again
    // Late failures of t1 from a cancelled attempt (its queued call not sent), in another file and in
    // this one after the grade: a tuple graded in any attempt stays graded, whatever the files' order.
    lost.tuple("t1", false);
    survivor.tuple("t1", false);
    survivor.tuple("t2", false);
    survivor.attempt("x4", "claude \"<&>\"", 30);
    survivor.call("x4", "claude \"<&>\"", "k3", 1, true, new Usage(5, 0, 0, null, null), 5, false);
    survivor.close();

    CallLogSummary s = new CallLogSummary(dir).refresh();
    assertEquals(1, s.graded());
    assertEquals(1, s.failed());
    assertEquals(1, s.inFlight(), "x2 was never answered");
    assertEquals(1405, s.spentMicros());
    assertEquals(950, s.unendedWorstMicros(), "x2's reservation: it may have been billed");
    Map<String, long[]> m = s.perModel();
    // calls, failed, attempts, in, out, reasoning, billed in, billed out, micros, failed micros
    assertArrayEquals(new long[] {3, 1, 4, 200, 80, 0, 200, 80, 1400, 0}, m.get("gpt"));
    assertArrayEquals(new long[] {1, 1, 1, 5, 0, 0, 5, 0, 5, 5}, m.get("claude \"<&>\""));
  }

  @Test
  void readsOnlyWhatWasAppendedAndWaitsForAHalfWrittenLine() throws Exception {
    String dir = tmp.resolve("calls").toString();
    CallLog log = new CallLog(dir);
    log.tuple("t1", true);
    CallLogSummary s = new CallLogSummary(dir).refresh();
    assertEquals(1, s.graded());
    Path file;
    try (var files = Files.list(Path.of(dir))) {
      file = files.findFirst().orElseThrow();
    }
    Files.writeString(file, "{\"e\":\"t\",\"k\":\"t2\",", java.nio.file.StandardOpenOption.APPEND);
    assertEquals(1, s.refresh().graded(), "half a line is not read");
    Files.writeString(file, "\"g\":true}\n", java.nio.file.StandardOpenOption.APPEND);
    assertEquals(2, s.refresh().graded());
    log.tuple("t3", false);
    assertEquals(1, s.refresh().failed());
  }

  @Test
  void aWriterInterruptedByACancelLeavesTheLogOpenForEveryOtherThread() throws Exception {
    String dir = tmp.resolve("calls").toString();
    CallLog log = new CallLog(dir);
    log.attempt("x1", "gpt", 900);
    // Flink cancels a task by interrupting its thread; the thread may be ending a tuple at that moment.
    Thread cancelled = new Thread(() -> {
      Thread.currentThread().interrupt();
      log.tuple("t1", true);
      log.attempt("x2", "gpt", 900);
    });
    cancelled.start();
    cancelled.join();
    Thread other = new Thread(() -> log.attempt("x3", "gpt", 900)); // a call of another task, after the restart
    other.start();
    other.join();
    log.close();
    CallLogSummary s = new CallLogSummary(dir).refresh();
    assertEquals(3, s.perModel().get("gpt")[0], "every attempt sent is counted");
    assertEquals(1, s.graded());
  }

  @Test
  void linesWrittenAfterCloseAreKept() throws Exception {
    String dir = tmp.resolve("calls").toString();
    CallLog log = new CallLog(dir);
    log.attempt("x1", "gpt", 900);
    log.close(); // the last holder's teardown, while a call is still being sent
    log.attempt("x2", "gpt", 900);
    log.call("x1", "gpt", "k1", 1, false, USAGE, 700, true);
    CallLogSummary s = new CallLogSummary(dir).refresh();
    assertArrayEquals(new long[] {2, 1, 2, 100, 40, 0, 100, 40, 700, 0}, s.perModel().get("gpt"));
  }

  @Test
  void noDirectoryNoLog() throws Exception {
    CallLog none = new CallLog(null);
    none.tuple("t", true);
    none.close();
    assertEquals(0, new CallLogSummary(tmp.resolve("absent").toString()).refresh().graded());
  }
}
