package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of JVM (scripts/jvm.sh) and what it changes: which java a command gets, with
 * which flags, and that a report made from the AOT cache of a newer JDK has the same tables and
 * responses.jsonl, byte for byte, as one made on the default java without it.
 */
class LauncherIT {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path FIXTURE = PROJECT.resolve("src/test/resources/dev/cltbench/fixture-study");

  @TempDir
  Path tmp;

  /** A JDK tree whose java fails at once: the launcher must pick it, and start without a cache. */
  private Path fakeJdk(int major) throws IOException {
    Path home = tmp.resolve("jdk" + major);
    Files.createDirectories(home.resolve("bin"));
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nexit 1\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + major + ".0.1\"\n");
    return java;
  }

  /** What cltbench_jvm chooses for {@code args} in a project home without a fixture study to train on. */
  private List<String> jvm(Map<String, String> env, String... args) throws Exception {
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve("scripts"));
    Files.copy(PROJECT.resolve("scripts/java17-flags.txt"), home.resolve("scripts/java17-flags.txt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return jvm(home, home.resolve("cltbench.jar"), env, args);
  }

  /** What cltbench_jvm chooses for {@code args} in project {@code home} with {@code jar}. */
  private static List<String> jvm(Path home, Path jar, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c",
        ". \"$0\"; cltbench_jvm \"$1\" \"$2\" \"${@:3}\"; printf '%s\\n' \"${JVM[@]}\"",
        PROJECT.resolve("scripts/jvm.sh").toString(), home.toString(), jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    withLauncherEnv(pb, env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
  }

  /** {@code pb} with the launcher's variables as {@code env} gives them, whatever this JVM's are. */
  private static ProcessBuilder withLauncherEnv(ProcessBuilder pb, Map<String, String> env) {
    for (String v : List.of("CLTBENCH_JAVA", "CLTBENCH_AOT", "CLTBENCH_JIT", "CLTBENCH_STUDY")) {
      pb.environment().remove(v);
    }
    pb.environment().putAll(env);
    return pb;
  }

  /** What ./cltbench prints when it refuses {@code args} under {@code env}: it must exit 2. */
  private static String refused(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("./cltbench"));
    cmd.addAll(List.of(args));
    Process bad = withLauncherEnv(new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true), env)
        .start();
    String out = new String(bad.getInputStream().readAllBytes());
    assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, bad.exitValue(), out);
    return out.strip();
  }

  private static String pathJava() throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "command -v java").start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out;
  }

  @Test
  void aNewerJdkIsChosenForLocalCommandsOnly() throws Exception {
    Path newer = fakeJdk(99);
    Map<String, String> env = Map.of("JAVA_HOME", newer.getParent().getParent().toString());
    List<String> local = jvm(env, "report", "--runner=FlinkRunner", "--flinkMaster=[local]");
    assertEquals(newer.toString(), local.get(0));
    assertTrue(local.contains("--sun-misc-unsafe-memory-access=allow"), local.toString());
    // Its training run failed (the fake java exits 1): no cache, and the command still starts.
    assertFalse(local.stream().anyMatch(f -> f.startsWith("-XX:AOTCache")), local.toString());
    assertTrue(local.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), local.toString());

    // A remote cluster's JVMs run the default java: so does its client.
    List<String> remote = jvm(env, "run", "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081");
    assertEquals(pathJava(), remote.get(0));
    assertFalse(remote.contains("--sun-misc-unsafe-memory-access=allow"), remote.toString());

    // CLTBENCH_AOT=0: the default java alone; CLTBENCH_JAVA: that java, whatever else is installed.
    assertEquals(pathJava(), jvm(Map.of("JAVA_HOME", env.get("JAVA_HOME"), "CLTBENCH_AOT", "0"), "report").get(0));
    Path chosen = fakeJdk(17);
    assertEquals(chosen.toString(), jvm(Map.of("JAVA_HOME", env.get("JAVA_HOME"), "CLTBENCH_JAVA",
        chosen.toString()), "report").get(0));
  }

  /** A study directory with {@code mb} MB of results (real blocks: the launcher sizes it with du). */
  private Path studyOf(String name, int mb) throws IOException {
    Path study = tmp.resolve(name);
    Files.createDirectories(study.resolve("results/C1"));
    Files.createDirectories(study.resolve("grades"));
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) '7');
    try (java.io.OutputStream out = Files.newOutputStream(study.resolve("results/C1/m.json"))) {
      for (int i = 0; i < mb; i++) {
        out.write(block);
      }
    }
    Files.writeString(study.resolve("grades/C1.csv"), "question_id\n");
    return study;
  }

  private static boolean onC1(List<String> jvm) {
    return jvm.contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void aSmallLocalReportRunsOnC1Alone() throws Exception {
    Path small = studyOf("small", 1);
    Path large = studyOf("large", 81);
    assertTrue(onC1(jvm(Map.of(), "report", "--study=" + small)));
    assertFalse(onC1(jvm(Map.of(), "report", "--study=" + large)));
    // A study whose results are a link to the files is sized by the files.
    Path linked = tmp.resolve("linked");
    Files.createDirectories(linked.resolve("grades"));
    Files.createSymbolicLink(linked.resolve("results"), large.resolve("results"));
    assertFalse(onC1(jvm(Map.of(), "report", "--study=" + linked)));
    assertTrue(onC1(jvm(Map.of(), "report", "--runner=FlinkRunner", "--flinkMaster=[local]", "--study=" + small)));
    // $CLTBENCH_STUDY is the report's default study, as in the program; --study overrides it.
    assertTrue(onC1(jvm(Map.of("CLTBENCH_STUDY", small.toString()), "report")));
    assertFalse(onC1(jvm(Map.of("CLTBENCH_STUDY", small.toString()), "report", "--study=" + large)));
    // Other commands, a remote cluster's client and a study on another filesystem keep both compilers.
    assertFalse(onC1(jvm(Map.of(), "run", "--study=" + small)));
    assertFalse(onC1(jvm(Map.of(), "report", "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081",
        "--study=" + small)));
    assertFalse(onC1(jvm(Map.of(), "report", "--study=gs://bucket/study")));
    // CLTBENCH_JIT decides whatever the size; a value it does not know is an error.
    assertFalse(onC1(jvm(Map.of("CLTBENCH_JIT", "tiered"), "report", "--study=" + small)));
    assertTrue(onC1(jvm(Map.of("CLTBENCH_JIT", "c1"), "report", "--study=" + large)));
    assertTrue(onC1(jvm(Map.of("CLTBENCH_JIT", "C1"), "report", "--study=" + large)));
    assertEquals("cltbench: CLTBENCH_JIT=fast is not one of auto, c1, tiered",
        refused(Map.of("CLTBENCH_JIT", "fast"), "report", "--study=" + small));
  }

  @Test
  void aJavaThatIsNotThereIsAClearError() throws Exception {
    assertEquals("cltbench: CLTBENCH_JAVA=" + tmp.resolve("no-such-java") + " is not an executable java",
        refused(Map.of("CLTBENCH_JAVA", tmp.resolve("no-such-java").toString()), "--help"));
  }

  /**
   * The fixture's report as the launcher starts it (a newer JDK from its cache, on C1 alone: the study is
   * small) and on the default java with both compilers.
   */
  @Test
  void theCacheChangesNoByteOfTheTables() throws Exception {
    Path fromCache = report("default", Map.of());
    assertTrue(onC1(jvm(PROJECT, PROJECT.resolve("target/cltbench.jar"), Map.of(), "report", "--study=" + FIXTURE)));
    // Where the launcher's JVM has a cache, the JVM takes it (-XX:AOTMode=on fails a start that cannot),
    // on both compilers and on C1 alone.
    if (String.join(" ", jvm(PROJECT, PROJECT.resolve("target/cltbench.jar"), Map.of(), "report"))
        .contains("-XX:AOTCache=")) {
      cltbench("aot-mode-on", Map.of("CLTBENCH_JAVA_OPTS", "-XX:AOTMode=on"), "--help");
      cltbench("aot-mode-on-c1", Map.of("CLTBENCH_JAVA_OPTS", "-XX:AOTMode=on", "CLTBENCH_JIT", "c1"),
          "report", "--help");
    }
    Path plain = report("plain", Map.of("CLTBENCH_AOT", "0", "CLTBENCH_JIT", "tiered"));
    Map<String, byte[]> a = outputs(fromCache);
    Map<String, byte[]> b = outputs(plain);
    assertEquals(b.keySet(), a.keySet());
    for (String f : a.keySet()) {
      assertTrue(java.util.Arrays.equals(a.get(f), b.get(f)), f + " differs with the launcher's JVM");
    }
    assertTrue(a.size() > 10, a.keySet().toString());
  }

  /**
   * Embedded Flink on the launcher's JVM against the DirectRunner on the default java: the same tables
   * (but times, whose formatting of a runner's timestamps RunnersIT also leaves out) and responses.
   */
  @Test
  void embeddedFlinkOnTheLaunchersJvmGivesTheSameTables() throws Exception {
    Map<String, byte[]> flink = outputs(report("flink", Map.of(), "--runner=FlinkRunner", "--flinkMaster=[local]"));
    Map<String, byte[]> plain = outputs(report("plain-direct", Map.of("CLTBENCH_AOT", "0")));
    flink.keySet().removeIf(f -> f.startsWith("tables/times.") || f.equals("report.html"));
    plain.keySet().removeIf(f -> f.startsWith("tables/times.") || f.equals("report.html"));
    assertEquals(plain.keySet(), flink.keySet());
    for (String f : plain.keySet()) {
      assertTrue(java.util.Arrays.equals(plain.get(f), flink.get(f)), f + " differs on embedded Flink");
    }
  }

  /**
   * The quickstart through ./cltbench on the launcher's JVM and on the default java: every call made
   * reaches the emulator, and the two studies' score, interval, test and cost tables are the same (but
   * for the responses' measured latencies).
   */
  @Test
  void theQuickstartRunsOnTheLaunchersJvm() throws Exception {
    Map<String, byte[]> a = quickstart("run-default", Map.of());
    Map<String, byte[]> b = quickstart("run-plain", Map.of("CLTBENCH_AOT", "0"));
    assertEquals(b.keySet(), a.keySet());
    for (String f : a.keySet()) {
      assertTrue(java.util.Arrays.equals(a.get(f), b.get(f)), f + " differs with the launcher's JVM");
    }
  }

  private Map<String, byte[]> quickstart(String name, Map<String, String> env) throws Exception {
    Path out = tmp.resolve(name);
    String text = cltbench(name, env, "run", "--output=" + out, "--cache=" + tmp.resolve(name + "-cache"),
        "--progressSeconds=0");
    java.util.regex.Matcher made = java.util.regex.Pattern.compile("model calls: (\\d+) made").matcher(text);
    java.util.regex.Matcher received = java.util.regex.Pattern.compile("emulator: (\\d+) requests received")
        .matcher(text);
    assertTrue(made.find() && received.find(), text);
    assertEquals(made.group(1), received.group(1), text);
    assertTrue(Integer.parseInt(made.group(1)) > 0, text);
    Map<String, byte[]> files = new TreeMap<>();
    for (String t : List.of("conditions", "models", "families", "categories", "intervals", "significance", "costs")) {
      files.put(t, withoutTimes(out.resolve("tables/" + t + ".csv")));
    }
    return files;
  }

  /** A table without its mean_time_s column: a live run's times are the emulator's real latencies. */
  private static byte[] withoutTimes(Path csv) throws IOException {
    StringBuilder kept = new StringBuilder();
    try (org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
        .setSkipHeaderRecord(true).build().parse(Files.newBufferedReader(csv))) {
      List<String> columns = p.getHeaderNames().stream().filter(c -> !c.equals("mean_time_s")).toList();
      kept.append(columns).append('\n');
      for (org.apache.commons.csv.CSVRecord r : p) {
        columns.forEach(c -> kept.append(r.get(c)).append('\u001f'));
        kept.append('\n');
      }
    }
    return kept.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private Path report(String name, Map<String, String> env, String... extra) throws Exception {
    Path out = tmp.resolve(name);
    List<String> args = new ArrayList<>(List.of("report",
        "--pipeline=" + FIXTURE.resolve("pipeline.json"), "--study=" + FIXTURE, "--output=" + out));
    args.addAll(List.of(extra));
    cltbench(name, env, args.toArray(String[]::new));
    return out;
  }

  /** Runs ./cltbench with {@code args}; returns what it printed (it must exit 0, without JVM warnings). */
  private String cltbench(String name, Map<String, String> env, String... args) throws Exception {
    Path log = tmp.resolve(name + ".log");
    List<String> cmd = new ArrayList<>(List.of("./cltbench"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(PROJECT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    withLauncherEnv(pb, env);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("./cltbench report timed out:\n" + Files.readString(log));
    }
    String text = Files.readString(log);
    assertEquals(0, p.exitValue(), text);
    // JDK 24+ warn on stderr about Unsafe and native access unless told not to: the launcher tells them.
    assertFalse(text.contains("WARNING: A terminally deprecated method"), text);
    assertFalse(text.contains("WARNING: A restricted method"), text);
    System.out.println("LauncherIT " + name + ": " + text.lines().filter(l -> l.startsWith("wall time")
        || l.startsWith("cltbench:")).toList());
    return text;
  }

  private static Map<String, byte[]> outputs(Path dir) throws IOException {
    Map<String, byte[]> files = dev.cltbench.ReportOutputs.tablesAndResponses(dir);
    files.put("report.html", Files.readAllBytes(dir.resolve("report.html")));
    return files;
  }
}
