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
 * calls to the emulator in the launcher) must give the same grades and score tables on all three. The cluster runs in a different working directory than the
 * client and the study is given relative, so workers resolving paths on their own would fail.
 */
class RunnersIT {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path CLUSTER_SCRIPT = PROJECT.resolve("scripts/flink-cluster.sh");

  @TempDir static Path tmp;
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
    cmd.addAll(args);
    cmd.add("--output=" + out);
    cmd.addAll(List.of(runnerArgs));
    long t0 = System.nanoTime();
    Run r = run(PROJECT, 600, cmd.toArray(String[]::new));
    assertEquals(0, r.code, what + " failed:\n" + r.output);
    System.out.printf("RunnersIT: %s in %.1f s%n", what, secondsSince(t0));
    return out;
  }

  @Test
  void replayedRunGivesTheSameGradesAndScoreTablesOnDirectEmbeddedFlinkAndCluster() throws Exception {
    String study = PROJECT.relativize(StudyData.study().toAbsolutePath().normalize()).toString();
    List<String> replay = List.of("run", "--pipeline=pipelines/left-behind.json", "--replay=" + study,
        "--latencyScale=0", "--cache=", "--progressSeconds=0");
    Path direct = cltbench("run --replay on direct", "replay-direct", replay);
    Path embedded = cltbench("run --replay on flink-embedded", "replay-flink-embedded", replay,
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    Path cluster = cltbench("run --replay on flink-cluster", "replay-flink-cluster", replay,
        "--runner=FlinkRunner", "--flinkMaster=" + restAddress, "--parallelism=2", "--filesToStage=" + jar());

    Map<String, String> expected = deterministicOutputs(direct);
    assertEquals(5 + 9, expected.size(), "grades of five conditions and nine tables: " + expected.keySet());
    for (Path other : List.of(embedded, cluster)) {
      Map<String, String> actual = deterministicOutputs(other);
      assertEquals(expected.keySet(), actual.keySet(), other + ": same files");
      for (Map.Entry<String, String> e : expected.entrySet()) {
        assertEquals(e.getValue(), actual.get(e.getKey()), other + ": " + e.getKey() + " differs");
      }
    }
  }

  /**
   * What a replay makes the same on every run: the grades files and the score, interval, power and
   * agreement tables. Measured call times are not (the response_time and mean_time_s columns are
   * dropped, and the times and costs tables left out).
   */
  private static Map<String, String> deterministicOutputs(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir.resolve("grades"))) {
      for (Path p : s.toList()) {
        files.put("grades/" + p.getFileName(), withoutColumn(p, "response_time"));
      }
    }
    for (String t : List.of("conditions", "families", "models", "categories", "significance", "intervals",
        "criterion_intervals", "power", "language")) {
      files.put("tables/" + t + ".csv", withoutColumn(dir.resolve("tables/" + t + ".csv"), "mean_time_s"));
    }
    return files;
  }

  /** The CSV file's text with one column (by header name) removed, if it has it. */
  private static String withoutColumn(Path csv, String column) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (java.io.Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        org.apache.commons.csv.CSVPrinter out = new org.apache.commons.csv.CSVPrinter(sb,
            org.apache.commons.csv.CSVFormat.DEFAULT)) {
      List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.DEFAULT.parse(in).getRecords();
      int drop = rows.isEmpty() ? -1 : rows.get(0).toList().indexOf(column);
      for (org.apache.commons.csv.CSVRecord r : rows) {
        List<String> cells = new ArrayList<>(r.toList());
        if (drop >= 0) {
          cells.remove(drop);
        }
        out.printRecord(cells);
      }
    }
    return sb.toString();
  }

  /** tables/* and responses.jsonl by relative path. */
  private static Map<String, byte[]> outputs(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir.resolve("tables"))) {
      for (Path p : s.toList()) {
        files.put("tables/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    files.put("responses.jsonl", Files.readAllBytes(dir.resolve("responses.jsonl")));
    return files;
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
