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
import java.util.stream.Stream;
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
    List<String> cmd = new ArrayList<>(List.of("bash", "-c",
        ". \"$0\"; cltbench_jvm \"$1\" \"$1/cltbench.jar\" \"${@:2}\"; printf '%s\\n' \"${JVM[@]}\"",
        PROJECT.resolve("scripts/jvm.sh").toString(), home.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().remove("CLTBENCH_JAVA");
    pb.environment().remove("CLTBENCH_AOT");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
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

  @Test
  void theCacheChangesNoByteOfTheTables() throws Exception {
    Path fromCache = report("default", Map.of());
    Path plain = report("plain", Map.of("CLTBENCH_AOT", "0"));
    Map<String, byte[]> a = outputs(fromCache);
    Map<String, byte[]> b = outputs(plain);
    assertEquals(b.keySet(), a.keySet());
    for (String f : a.keySet()) {
      assertTrue(java.util.Arrays.equals(a.get(f), b.get(f)), f + " differs with the launcher's JVM");
    }
    assertTrue(a.size() > 10, a.keySet().toString());
  }

  private Path report(String name, Map<String, String> env) throws Exception {
    Path out = tmp.resolve(name);
    Path log = tmp.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder("./cltbench", "report",
        "--pipeline=" + FIXTURE.resolve("pipeline.json"), "--study=" + FIXTURE, "--output=" + out)
        .directory(PROJECT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("CLTBENCH_JAVA");
    pb.environment().remove("CLTBENCH_AOT");
    pb.environment().putAll(env);
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
    return out;
  }

  private static Map<String, byte[]> outputs(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir.resolve("tables"))) {
      for (Path p : s.toList()) {
        files.put("tables/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    files.put("responses.jsonl", Files.readAllBytes(dir.resolve("responses.jsonl")));
    files.put("report.html", Files.readAllBytes(dir.resolve("report.html")));
    return files;
  }
}
