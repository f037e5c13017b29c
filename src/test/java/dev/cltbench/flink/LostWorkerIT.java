package dev.cltbench.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cltbench.StudyData;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager killed ({@code kill -9}) during {@code run --replay} on a standalone cluster of two
 * TaskManagers whose own conf allows no restart: the job's own restart strategy restarts it, the run
 * exits 0 with the clean run's outputs, {@code tables/costs.csv} counts every request the emulator
 * received (the calls of the lost attempt included), the progress line moved, and the closing spend
 * is the table's. A subset of the published study (the first questions) keeps it to a few minutes.
 */
class LostWorkerIT {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path CLUSTER_SCRIPT = PROJECT.resolve("scripts/flink-cluster.sh");
  private static final Pattern PROGRESS = Pattern.compile("progress: (\\d+)/(\\d+) tuples done");

  @TempDir static Path tmp;
  static Path clusterDir;
  static String restAddress;
  static final List<Long> clusterPids = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    clusterDir = tmp.resolve("cluster");
    Path elsewhere = Files.createDirectories(tmp.resolve("cluster-cwd"));
    // The cluster's own conf says no restart: what restarts the job is the job's own configuration.
    Result start = run(elsewhere, 300, "bash", CLUSTER_SCRIPT.toString(), "start", "--dir=" + clusterDir,
        "--slots=2", "--taskmanagers=2", "--restart-attempts=0");
    for (String name : List.of("jobmanager", "taskmanager", "taskmanager-2")) {
      Path pid = clusterDir.resolve(name + ".pid");
      if (Files.exists(pid)) {
        clusterPids.add(Long.parseLong(Files.readString(pid).strip()));
      }
    }
    assertEquals(0, start.code, "cluster start failed:\n" + start.output);
    Matcher m = Pattern.compile("rest=(127\\.0\\.0\\.1:\\d+)").matcher(start.output);
    assertTrue(m.find(), "no rest address in:\n" + start.output);
    restAddress = m.group(1);
    assertEquals(3, clusterPids.size(), "JobManager and two TaskManagers");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (clusterDir == null) {
      return;
    }
    Result stop = run(PROJECT, 120, "bash", CLUSTER_SCRIPT.toString(), "stop", "--dir=" + clusterDir);
    for (long pid : clusterPids) {
      assertTrue(RunnersIT.gone(pid), "cluster process " + pid + " still running after stop:\n" + stop.output);
    }
    assertEquals(0, stop.code, "cluster stop failed:\n" + stop.output);
  }

  @Test
  void aTaskManagerKilledMidRunCostsARestartNotTheRun() throws Exception {
    String study = PROJECT.relativize(StudyData.study().toAbsolutePath().normalize()).toString();
    List<String> replay = List.of("run", "--pipeline=pipelines/left-behind.json", "--replay=" + study,
        "--limit=10");
    Path clean = tmp.resolve("clean");
    Result direct = run(PROJECT, 600, cltbench(replay, clean, "--latencyScale=0", "--cache=" + tmp.resolve("c0"),
        "--progressSeconds=0"));
    assertEquals(0, direct.code, "clean run failed:\n" + direct.output);

    Path killed = tmp.resolve("killed");
    // Parallelism 4 on 2 x 2 slots: both TaskManagers run the calls, so the kill lands on some of them;
    // the restarted job runs on the 2 slots left (batch regions need no more). Attempts x delay outlast
    // the 50 s heartbeat timeout before the JobManager notices the loss.
    List<String> cmd = cltbench(replay, killed, "--latencyScale=0.2", "--cache=" + tmp.resolve("c1"),
        "--progressSeconds=2", "--runner=FlinkRunner", "--flinkMaster=" + restAddress, "--parallelism=4",
        "--filesToStage=" + RunnersIT.jar(), "--flinkRestartAttempts=20", "--flinkRestartDelaySeconds=5");
    Path log = tmp.resolve("killed.log");
    Process p = new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    long tm = Long.parseLong(Files.readString(clusterDir.resolve("taskmanager-2.pid")).strip());
    int doneAtKill = -1;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      while (p.isAlive() && System.nanoTime() < deadline) {
        Matcher m = PROGRESS.matcher(Files.readString(log));
        int done = -1;
        int total = 0;
        while (m.find()) {
          done = Integer.parseInt(m.group(1));
          total = Integer.parseInt(m.group(2));
        }
        if (done > 0 && done >= total / 5) {
          doneAtKill = done;
          new ProcessBuilder("kill", "-9", Long.toString(tm)).start().waitFor();
          break;
        }
        Thread.sleep(500);
      }
      if (!p.waitFor(900, TimeUnit.SECONDS)) {
        fail("the killed run did not finish:\n" + Files.readString(log));
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertTrue(doneAtKill > 0, "the progress line never moved, so no TaskManager was killed:\n" + out);
    assertTrue(RunnersIT.gone(tm), "TaskManager " + tm + " was killed");
    assertEquals(0, p.exitValue(), "the run survives a lost TaskManager:\n" + out);

    // Every output but costs.csv (and the files that measure the run itself) is the clean run's.
    Map<String, String> expected = outputs(clean);
    Map<String, String> actual = outputs(killed);
    assertEquals(expected.keySet(), actual.keySet(), "same files");
    // Every file that differs, named at once; then the first of them shown in full.
    List<String> differ = expected.keySet().stream().filter(k -> !k.equals("tables/costs.csv"))
        .filter(k -> !expected.get(k).equals(actual.get(k))).toList();
    if (!differ.isEmpty()) {
      assertEquals(expected.get(differ.get(0)), actual.get(differ.get(0)), differ + " differ from the clean run's");
    }

    // costs.csv counts every request the emulator received, the lost attempt's included.
    Matcher received = Pattern.compile("emulator: (\\d+) requests received").matcher(out);
    assertTrue(received.find(), out);
    List<CSVRecord> costs = csv(killed.resolve("tables/costs.csv"));
    long calls = costs.stream().mapToLong(r -> Long.parseLong(r.get("calls"))).sum();
    long before = costs.stream().filter(r -> r.get("stage").equals("before_restart"))
        .mapToLong(r -> Long.parseLong(r.get("calls"))).sum();
    long cachedCalls = costs.stream().mapToLong(r -> Long.parseLong(r.get("cached_calls"))).sum();
    // Calls the killed worker sent and never saw end: the replay's calls do not fail, so a failed call
    // of the attempt the kill ended is one lost with it. An attempt is logged just before it is sent
    // (ModelCalls: a worker lost mid-request still leaves the request counted), so a kill between the
    // line and the request's last byte leaves a call costs.csv counts and the emulator never received.
    long lost = costs.stream().filter(r -> r.get("stage").equals("before_restart"))
        .mapToLong(r -> Long.parseLong(r.get("failed_calls"))).sum();
    // The figures of every run, passed or not: a miscount is read from them first.
    System.out.printf("LostWorkerIT figures: emulator %s requests; costs.csv %d calls (%d before_restart, %d after),"
        + " %d cached, %d lost in flight%n", received.group(1), calls, before, calls - before, cachedCalls, lost);
    long requests = Long.parseLong(received.group(1));
    // Nothing the emulator received is missing from costs.csv, and every call costs.csv counts beyond
    // what the emulator received is one lost in flight.
    assertTrue(requests <= calls, "costs.csv counts every request the emulator received\n" + out);
    assertTrue(calls - requests <= lost, (calls - requests) + " calls in costs.csv the emulator never received, "
        + "but only " + lost + " were lost in flight\n" + out);
    assertTrue(costs.stream().anyMatch(r -> r.get("stage").equals("before_restart")),
        "the calls of the attempt the kill ended are in their own rows");
    // Per model and stage, every tuple's call is there once, made or cached, as in the clean run.
    Map<String, String> cleanRows = new TreeMap<>();
    Map<String, String> killedRows = new TreeMap<>();
    for (CSVRecord r : csv(clean.resolve("tables/costs.csv"))) {
      cleanRows.put(r.get("model") + "/" + r.get("stage"), asked(r));
    }
    for (CSVRecord r : costs) {
      if (!r.get("stage").equals("before_restart")) {
        killedRows.put(r.get("model") + "/" + r.get("stage"), asked(r));
      }
    }
    assertEquals(cleanRows, killedRows);

    // The closing spend is the table's.
    BigDecimal table = costs.stream().map(r -> new BigDecimal(r.get("cost_usd"))).reduce(BigDecimal.ZERO,
        BigDecimal::add);
    Matcher spent = Pattern.compile("(?m)^spent (\\d+\\.\\d{4}) USD").matcher(out);
    assertTrue(spent.find(), out);
    assertEquals(table.setScale(4, java.math.RoundingMode.HALF_UP), new BigDecimal(spent.group(1)));
    System.out.printf("LostWorkerIT: killed TaskManager %d after %d tuples; %d calls, %s USD%n", tm, doneAtKill,
        calls, table);
  }

  /** What a row asked for whoever answered: calls made + cached, the study's cost, its tokens. */
  private static String asked(CSVRecord r) {
    return (Long.parseLong(r.get("calls")) + Long.parseLong(r.get("cached_calls"))) + " " + r.get("study_cost_usd")
        + " " + r.get("input_tokens") + " " + r.get("output_tokens");
  }

  private static List<CSVRecord> csv(Path file) throws IOException {
    return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
        .parse(new StringReader(Files.readString(file))).getRecords();
  }

  private static List<String> cltbench(List<String> args, Path out, String... more) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(RunnersIT.java()));
    cmd.addAll(RunnersIT.javaFlags());
    cmd.addAll(List.of("-Xmx1g", "-jar", RunnersIT.jar().toString()));
    cmd.addAll(args);
    cmd.add("--output=" + out);
    cmd.addAll(List.of(more));
    return cmd;
  }

  /** Every output file but the ones that measure the run itself, measured call times blanked. */
  private static Map<String, String> outputs(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        if (!RunnersIT.NOT_DETERMINISTIC.matcher(rel).matches()) {
          files.put(rel, RunnersIT.withoutMeasuredTimes(rel,
              new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)));
        }
      }
    }
    return files;
  }

  record Result(int code, String output) {}

  private static Result run(Path dir, int timeoutSeconds, String... cmd) throws Exception {
    return run(dir, timeoutSeconds, List.of(cmd));
  }

  private static Result run(Path dir, int timeoutSeconds, List<String> cmd) throws Exception {
    Path log = Files.createTempFile(tmp, "proc", ".log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd) + "\n" + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
