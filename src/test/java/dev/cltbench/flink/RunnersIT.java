package dev.cltbench.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cltbench.StudyData;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} on the published study through the shaded jar, on the DirectRunner, on embedded
 * Flink and on a standalone Flink session cluster (scripts/flink-cluster.sh): every table and
 * responses.jsonl must be byte-identical. {@code run --replay} of the published study (4,000 HTTP
 * calls to the emulator in the launcher) and the quickstart {@code run} (emulated models, the default
 * pipeline file) must write the same files on all three, byte for byte apart from the files and the
 * fields that measure the run itself (see {@link #NOT_DETERMINISTIC} and {@link #withoutMeasuredTimes}).
 * One cluster serves every test. The cluster runs in a different working directory than the client
 * and the study is given relative, so workers resolving paths on their own would fail.
 */
class RunnersIT {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path CLUSTER_SCRIPT = PROJECT.resolve("scripts/flink-cluster.sh");

  @TempDir static Path tmp;
  /** In an argument: this run's own cache directory. */
  private static final String CACHE = "{cache}";
  static Path clusterDir;
  static String restAddress;
  static List<Long> clusterPids = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    clusterDir = tmp.resolve("cluster");
    Path elsewhere = Files.createDirectories(tmp.resolve("cluster-cwd"));
    long t0 = System.nanoTime();
    Run start = run(elsewhere, 240, "bash", CLUSTER_SCRIPT.toString(), "start", "--dir=" + clusterDir,
        "--slots=2");
    // Record PIDs before anything can fail, so @AfterAll can check them whatever happens.
    for (String name : List.of("jobmanager", "taskmanager")) {
      Path pid = clusterDir.resolve(name + ".pid");
      if (Files.exists(pid)) {
        clusterPids.add(Long.parseLong(Files.readString(pid).strip()));
      }
    }
    assertEquals(0, start.code, "cluster start failed:\n" + start.output);
    Matcher m = Pattern.compile("rest=(127\\.0\\.0\\.1:\\d+)").matcher(start.output);
    assertTrue(m.find(), "no rest address in:\n" + start.output);
    restAddress = m.group(1);
    assertEquals(2, clusterPids.size(), "JobManager and TaskManager PIDs recorded");
    System.out.printf("RunnersIT: cluster up at %s in %.1f s%n", restAddress, secondsSince(t0));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (clusterDir == null) {
      return;
    }
    Run stop = run(PROJECT, 120, "bash", CLUSTER_SCRIPT.toString(), "stop", "--dir=" + clusterDir);
    for (long pid : clusterPids) {
      assertTrue(gone(pid), "cluster process " + pid + " still running after stop:\n" + stop.output);
    }
    List<String> left = ProcessHandle.allProcesses()
        .filter(p -> !gone(p.pid()))
        .filter(p -> p.info().commandLine().map(c -> c.contains(clusterDir.toString())).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
    assertTrue(left.isEmpty(), "cluster processes left behind: " + left);
    assertEquals(0, stop.code, "cluster stop failed:\n" + stop.output);
  }

  @Test
  void tablesAndResponsesAreByteIdenticalOnDirectEmbeddedFlinkAndCluster() throws Exception {
    String study = PROJECT.relativize(StudyData.study().toAbsolutePath().normalize()).toString();
    Path direct = report("direct", study);
    Path embedded = report("flink-embedded", study, "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2");
    Path cluster = report("flink-cluster", study, "--runner=FlinkRunner", "--flinkMaster=" + restAddress,
        "--parallelism=2", "--filesToStage=" + jar());

    Map<String, byte[]> expected = outputs(direct);
    assertTrue(expected.containsKey("tables/conditions.csv"), "tables written: " + expected.keySet());
    assertTrue(expected.keySet().stream().filter(k -> k.startsWith("tables/")).count() >= 15,
        "csv, md and tex of every table: " + expected.keySet());
    long lines = new String(expected.get("responses.jsonl"), StandardCharsets.UTF_8).lines().count();
    assertEquals(2000, lines, "one line per published response");
    for (Path other : List.of(embedded, cluster)) {
      Map<String, byte[]> actual = outputs(other);
      assertEquals(expected.keySet(), actual.keySet(), other + ": same files");
      for (Map.Entry<String, byte[]> e : expected.entrySet()) {
        assertArrayEquals(e.getValue(), actual.get(e.getKey()), other + ": " + e.getKey() + " differs");
      }
    }
  }

  /** Runs {@code java -jar cltbench.jar report} from the project directory; returns the output dir. */
  private static Path report(String name, String study, String... runnerArgs) throws Exception {
    return cltbench("report on " + name, name, List.of("report", "--pipeline=pipelines/left-behind.json",
        "--study=" + study), runnerArgs);
  }

  /** Runs {@code java -jar cltbench.jar} with {@code args}, the output dir and the runner's flags. */
  private static Path cltbench(String what, String name, List<String> args, String... runnerArgs) throws Exception {
    Path out = tmp.resolve(name);
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(javaFlags());
    cmd.addAll(List.of("-Xmx1g", "-jar", jar().toString()));
    // Each run its own fresh cache where the arguments ask for one.
    args.forEach(a -> cmd.add(a.replace(CACHE, tmp.resolve(name + "-cache").toString())));
    cmd.add("--output=" + out);
    cmd.addAll(List.of(runnerArgs));
    long t0 = System.nanoTime();
    Run r = run(PROJECT, 600, cmd.toArray(String[]::new));
    assertEquals(0, r.code, what + " failed:\n" + r.output);
    System.out.printf("RunnersIT: %s in %.1f s%n", what, secondsSince(t0));
    return out;
  }

  @Test
  void replayedRunWritesTheSameFilesOnDirectEmbeddedFlinkAndCluster() throws Exception {
    String study = PROJECT.relativize(StudyData.study().toAbsolutePath().normalize()).toString();
    List<String> replay = List.of("run", "--pipeline=pipelines/left-behind.json", "--replay=" + study,
        "--latencyScale=0", "--cache=", "--progressSeconds=0");
    Map<String, String> expected = sameOnEveryRunner("run --replay", "replay", replay, List.of());
    assertEquals(5 + 5, expected.keySet().stream().filter(k -> k.contains("grades/")).count(),
        "grades of five conditions, for the panel and its one judge: " + expected.keySet());
    assertEquals(40, expected.keySet().stream().filter(k -> k.startsWith("results/")).count(),
        "a results file per condition x model: " + expected.keySet());
    assertTrue(expected.containsKey("tables/costs.csv") && expected.containsKey("failures.jsonl")
        && expected.containsKey("benchmark/questions.json"), "costs, failures, benchmark: " + expected.keySet());
    assertEquals(2000, expected.get("responses.jsonl").lines().count(), "one line per replayed response");
    // As Flink itself reports it: the cluster's run called from every subtask of --parallelism=2 (its
    // scheduler gave the calls' stage one subtask, holding half the limits and budget, until 2026-12-07).
    List<Long> perSubtask = callingSubtasksOfTheLatestRun();
    assertEquals(2, perSubtask.size(), "subtasks of the calling stage: " + perSubtask);
    assertTrue(perSubtask.stream().allMatch(n -> n > 0), "every subtask called: " + perSubtask);
  }

  /** Records read by each subtask of the CallModels stage of the cluster's latest job that has one. */
  private static List<Long> callingSubtasksOfTheLatestRun() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, com.fasterxml.jackson.databind.JsonNode> get = path -> {
      try {
        return json.readTree(http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://" + restAddress + path)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(path, e);
      }
    };
    List<com.fasterxml.jackson.databind.JsonNode> jobs = new ArrayList<>();
    get.apply("/jobs/overview").path("jobs").forEach(jobs::add);
    jobs.sort(java.util.Comparator.comparingLong(j -> -j.path("start-time").asLong()));
    for (com.fasterxml.jackson.databind.JsonNode job : jobs) {
      String jid = job.path("jid").asText();
      for (com.fasterxml.jackson.databind.JsonNode v : get.apply("/jobs/" + jid).path("vertices")) {
        if (v.path("name").asText().contains("CallModels")) {
          List<Long> out = new ArrayList<>();
          get.apply("/jobs/" + jid + "/vertices/" + v.path("id").asText()).path("subtasks")
              .forEach(st -> out.add(st.path("metrics").path("read-records").asLong()));
          return out;
        }
      }
    }
    fail("no job with a CallModels stage on the cluster");
    return List.of();
  }

  @Test
  void quickstartWritesTheSameFilesOnDirectEmbeddedFlinkAndCluster() throws Exception {
    // The default pipeline file, its emulated models, every condition; a fresh cache per runner, so
    // every runner makes every call once. Identical calls of several tuples (C4's translation of a
    // question is the same for every model; C5 asks C4's translation and English answer under other
    // stage names) are one call made and the rest joined or cached: with a cache that count is fixed,
    // and SummarizeCosts gives the made ones to the tuples in key order, so tables/costs.csv is compared
    // too (it was not, before that, 2026-12-03). Which tuple's step says "cached" is what happened, and
    // is blanked in results/ (see withoutMeasuredTimes).
    Map<String, String> expected = sameOnEveryRunner("run (quickstart)", "quickstart",
        List.of("run", "--cache=" + CACHE, "--progressSeconds=0"), List.of());
    assertEquals(7 * 4, expected.keySet().stream().filter(k -> k.startsWith("results/")).count(),
        "a results file per condition x model: " + expected.keySet());
    assertTrue(expected.containsKey("tables/costs.csv"), "costs: " + expected.keySet());
    assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("judges/")), "per-judge grades of the panel");
    assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("figures/")), "figures");
    assertTrue(expected.containsKey("failures.jsonl"), "failures: " + expected.keySet());
  }

  /**
   * Runs {@code args} on the DirectRunner, embedded Flink and the cluster, and checks that every file
   * but the {@link #NOT_DETERMINISTIC} ones is byte-identical once {@link #withoutMeasuredTimes}; returns
   * the DirectRunner's files so normalised.
   */
  private static Map<String, String> sameOnEveryRunner(String what, String name, List<String> args,
      List<String> timingDependent) throws Exception {
    Path direct = cltbench(what + " on direct", name + "-direct", args);
    Path embedded = cltbench(what + " on flink-embedded", name + "-flink-embedded", args,
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    Path cluster = cltbench(what + " on flink-cluster", name + "-flink-cluster", args,
        "--runner=FlinkRunner", "--flinkMaster=" + restAddress, "--parallelism=2", "--filesToStage=" + jar());
    Map<String, String> expected = deterministicOutputs(direct);
    expected.keySet().removeAll(timingDependent);
    for (Path other : List.of(embedded, cluster)) {
      Map<String, String> actual = deterministicOutputs(other);
      actual.keySet().removeAll(timingDependent);
      assertEquals(expected.keySet(), actual.keySet(), other + ": same files");
      // Every file that differs, named at once; then the first of them shown in full.
      List<String> differ = expected.keySet().stream()
          .filter(k -> !expected.get(k).equals(actual.get(k))).toList();
      if (!differ.isEmpty()) {
        assertEquals(expected.get(differ.get(0)), actual.get(differ.get(0)), other + ": " + differ + " differ");
      }
    }
    return expected;
  }

  /**
   * Files that measure the run itself, not its answers: the manifest (start and end times, the
   * emulator's port, the runner's name), the output marker (its creation time), report.html (it
   * prints the manifest's summary and the emulator's address), and the call-time table and figure
   * (client-measured latencies, different on every run).
   */
  static final Pattern NOT_DETERMINISTIC = Pattern.compile(
      "manifest\\.json|\\.cltbench-output\\.json|report\\.html|tables/times\\.(csv|md|tex)"
          + "|figures/figure-6-score-time\\.(svg|pdf)");

  /** Every output file but the {@link #NOT_DETERMINISTIC} ones, by relative path, measured times blanked. */
  private static Map<String, String> deterministicOutputs(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!NOT_DETERMINISTIC.matcher(rel).matches()) {
          // ISO-8859-1 maps every byte to one char: equal strings are equal bytes, PDFs included.
          files.put(rel, withoutMeasuredTimes(rel, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)));
        }
      }
    }
    return files;
  }

  /** Client-measured call latencies in a file: the only values a replay or an emulated run does not fix. */
  private static final Pattern JSON_TIME =
      Pattern.compile("(\"(response_time_s|response_time_seconds|latency_ms)\" ?: ?)[-0-9.Ee]+");
  private static final Pattern SHARED_CALL = Pattern.compile("\"cached\" ?: ?(true|false)|,\\s*\"attempts\" ?: ?\\d+");
  private static final List<String> TIME_COLUMNS = List.of("response_time", "mean_time_s", "Mean time (s)");

  /**
   * The text with measured call times blanked: the response time of every results and responses
   * record and the latency of each of its steps (latency_ms), the response_time column of grades and
   * the mean_time_s column of the score tables (in their csv, md and tex forms); the rest as it is.
   */
  static String withoutMeasuredTimes(String path, String text) throws IOException {
    if (path.endsWith(".json") || path.endsWith(".jsonl")) {
      String out = JSON_TIME.matcher(text).replaceAll("$1-");
      // Tuples that make the very same call share one: the step of whichever asked first says made (with
      // its attempts), the others cached. A results file records what happened, which is timing, so a
      // step's cached and attempts fields are blanked; tables/costs.csv attributes them in key order.
      return path.startsWith("results/") ? SHARED_CALL.matcher(out).replaceAll("") : out;
    }
    if (path.endsWith(".csv")) {
      return withoutColumn(text);
    }
    if (path.endsWith(".md") || path.endsWith(".tex")) {
      String sep = path.endsWith(".md") ? "|" : "&";
      StringBuilder out = new StringBuilder();
      int drop = -1;
      for (String line : text.split("\n", -1)) {
        List<String> cells = new ArrayList<>(List.of(line.split(Pattern.quote(sep), -1)));
        for (int i = 0; i < cells.size(); i++) {
          if (TIME_COLUMNS.contains(cells.get(i).strip())) {
            drop = i;
          }
        }
        if (drop >= 0 && cells.size() > drop + 1) {
          cells.set(drop, "-");
        }
        out.append(String.join(sep, cells)).append('\n');
      }
      return out.toString();
    }
    return text;
  }

  /** A CSV text with its time column (by header name) blanked, if it has one. */
  private static String withoutColumn(String csv) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (org.apache.commons.csv.CSVPrinter out = new org.apache.commons.csv.CSVPrinter(sb,
        org.apache.commons.csv.CSVFormat.DEFAULT)) {
      List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.DEFAULT
          .parse(new java.io.StringReader(csv)).getRecords();
      int drop = -1;
      if (!rows.isEmpty()) {
        for (String c : TIME_COLUMNS) {
          drop = Math.max(drop, rows.get(0).toList().indexOf(c));
        }
      }
      if (drop < 0) {
        return csv; // byte for byte
      }
      for (org.apache.commons.csv.CSVRecord r : rows) {
        List<String> cells = new ArrayList<>(r.toList());
        if (r.getRecordNumber() > 1 && drop < cells.size()) {
          cells.set(drop, "-");
        }
        out.printRecord(cells);
      }
    }
    return sb.toString();
  }

  /** tables/* and responses.jsonl by relative path. */
  private static Map<String, byte[]> outputs(Path dir) throws IOException {
    return dev.cltbench.ReportOutputs.tablesAndResponses(dir);
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("cltbench.jar", "target/cltbench.jar"));
    if (!Files.isRegularFile(jar)) {
      fail("no shaded jar at " + jar + " (failsafe runs after package)");
    }
    return jar.toAbsolutePath();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> javaFlags() throws IOException {
    return Files.readAllLines(PROJECT.resolve("scripts/java17-flags.txt")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  record Run(int code, String output) {}

  /** Runs a process to completion (output to a file, so a full pipe cannot stall it); kills it on timeout. */
  static Run run(Path dir, int timeoutSeconds, String... cmd) throws Exception {
    Path log = Files.createTempFile(tmp, "proc", ".log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd) + "\n"
            + Files.readString(log));
      }
      return new Run(p.exitValue(), Files.readString(log));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** No such process, or one that has exited and awaits reaping (a zombie holds no resources). */
  static boolean gone(long pid) {
    Path stat = Path.of("/proc/" + pid + "/stat");
    try {
      String s = Files.readString(stat);
      return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
  }

  static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
