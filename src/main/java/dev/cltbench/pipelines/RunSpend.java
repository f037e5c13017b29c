package dev.cltbench.pipelines;

import dev.cltbench.clients.CallLogSummary;
import dev.cltbench.report.CostRow;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.transforms.CallsMade;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Progress and spending of a live run as its workers logged them ({@link CallLogSummary}), not as the
 * launcher's JVM counted them: the same on the DirectRunner, embedded Flink and a cluster. After the
 * job, the calls its log has and the finished attempt's tuples do not are added to {@code
 * tables/costs.csv} as a {@link #LOST} row per model, so the table counts every request the endpoints
 * received: the calls of a job attempt that a lost worker ended (their answers, once cached, are the
 * finished attempt's cached calls; the ones in flight were sent again after the restart).
 */
final class RunSpend implements ProgressLine.Source {
  /** The stage of costs.csv's rows of the calls made by job attempts a lost worker ended. */
  static final String LOST = "before_restart";
  /** The log's directory inside the staging directory, removed before the output is committed. */
  static final String LOG_DIRECTORY = ".cltbench-calls";

  private final CallLogSummary log;

  /** What the finished run counted, from costs.csv once it holds the lost calls too. */
  record Totals(long calls, long cachedCalls, long attempts, long lostCalls, long unanswered, double spentUsd) {}

  private RunSpend(String directory) {
    this.log = new CallLogSummary(directory);
  }

  static String logDirectory(String staging) {
    return staging + "/" + LOG_DIRECTORY;
  }

  /** The run whose workers log into {@code staging}'s {@link #LOG_DIRECTORY}. */
  static RunSpend of(String staging) {
    return new RunSpend(logDirectory(staging));
  }

  private CallLogSummary fresh() {
    try {
      return log.refresh();
    } catch (IOException e) {
      return log; // a file being replaced; the next line reads it
    }
  }

  @Override
  public long graded() {
    return fresh().graded();
  }

  @Override
  public long failed() {
    return log.failed();
  }

  @Override
  public long inFlight() {
    return log.inFlight();
  }

  @Override
  public double spentUsd() {
    return log.spentMicros() / 1e6;
  }

  /**
   * Adds the calls the log has beyond what the finished attempt's tuples counted to the staged
   * costs.csv, and returns the table's totals.
   */
  Totals reconcile(String staging, PipelineDefinition definition, PipelineResult result,
      dev.cltbench.clients.RunLedger local) throws IOException {
    // Embedded workers share the launcher's ledger, which stays open past the job: its lines first.
    local.flushLog();
    log.refresh();
    Map<String, long[]> sent = log.perModel();
    Map<String, long[]> made = CallsMade.of(result);
    String costs = StudyCodec.join(staging, "tables/costs.csv");
    String csvText = StudyCodec.exists(costs) ? StudyCodec.readString(costs) : null;
    if (csvText == null) {
      return new Totals(0, 0, 0, 0, 0, log.spentMicros() / 1e6);
    }
    List<String> rows = new ArrayList<>(csvText.lines().skip(1).filter(l -> !l.isEmpty()).toList());
    long lostCalls = 0;
    long unanswered = 0;
    for (Map.Entry<String, long[]> e : sent.entrySet()) {
      long[] s = e.getValue();
      long[] m = made.getOrDefault(e.getKey(), new long[s.length]);
      long[] d = new long[s.length];
      for (int i = 0; i < s.length; i++) {
        d[i] = Math.max(0, s[i] - m[i]);
      }
      if (d[0] == 0 && d[2] == 0) {
        continue; // every call the log has reached a tuple: the table counts it already
      }
      lostCalls += d[0];
      unanswered += d[1];
      // CallLogSummary.perModel's order: calls, failed, attempts, input, output, reasoning, billed input,
      // billed output, micro-dollars, micro-dollars of failed calls.
      rows.add(CostRow.csvLine(new CostRow(e.getKey(), LOST, d[0], 0, d[1], d[2], d[3], d[4], d[5], d[6], d[7],
          d[8], d[9], d[8], 0)));
    }
    if (lostCalls > 0) {
      rows.sort(null); // as CostRow.csv orders its rows
      StringBuilder csv = new StringBuilder(CostRow.header()).append('\n');
      rows.forEach(r -> csv.append(r).append('\n'));
      StudyCodec.write(staging, "tables/costs.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
      csvText = csv.toString();
    }
    long calls = 0;
    long cached = 0;
    long attempts = 0;
    BigDecimal spent = BigDecimal.ZERO;
    for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
        .parse(new StringReader(csvText))) {
      calls += Long.parseLong(r.get("calls"));
      cached += Long.parseLong(r.get("cached_calls"));
      attempts += Long.parseLong(r.get("attempts"));
      spent = spent.add(new BigDecimal(r.get("cost_usd")));
    }
    return new Totals(calls, cached, attempts, lostCalls, unanswered, spent.doubleValue());
  }

  /** Removes the log (the run's own files, and its directory where it is one) before the commit. */
  void deleteLog(String staging) throws IOException {
    List<org.apache.beam.sdk.io.fs.ResourceId> files = new ArrayList<>();
    for (String f : log.files()) {
      files.add(FileSystems.matchNewResource(f, false));
    }
    FileSystems.delete(files, org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    org.apache.beam.sdk.io.fs.ResourceId dir = FileSystems.matchNewResource(logDirectory(staging), true);
    if ("file".equals(dir.getScheme())) {
      java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(dir.toString()));
    }
  }

  static String describe(Totals t) {
    return t.lostCalls() == 0 ? "" : String.format(Locale.ROOT, "; a worker was lost and the job restarted: "
        + "%d calls were made before the restart (tables/costs.csv, stage %s), %d of them unanswered or "
        + "failed and made again", t.lostCalls(), LOST, t.unanswered());
  }
}
