package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import dev.cltbench.fs.TmpfsFileSystem;
import dev.cltbench.output.OutputMarker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report, run --replay and grade with the study, the cache and the output all on {@code tmpfs://}, a
 * test filesystem with a bucket's semantics (no directories, no atomic rename): the outputs are the
 * same files with the same bytes as those of the same commands on local paths, and the output rules
 * (marker required to replace, the lock, nothing deleted that cltbench did not write) hold there too.
 */
class NonLocalFileSystemTest {
  private static final String STUDY = "tmpfs://study";
  private static final List<String> SUBSET = List.of("--models=kestrel_en,argali_multi", "--conditions=C1,C3",
      "--limit=4");

  @TempDir Path tmp;
  private Path work;

  @BeforeEach
  void mount() throws IOException {
    // The fixture study is read in place through tmpfs://study; everything written goes to tmp.
    TmpfsFileSystem.mount("study", StudyData.fixture().toAbsolutePath());
    work = Files.createDirectories(tmp.resolve("bucket"));
    TmpfsFileSystem.mount("work", work);
    // Registers the tmpfs scheme before the first command (each command registers it again).
    org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(
        org.apache.beam.sdk.options.PipelineOptionsFactory.create());
  }

  private static CliRun cli(String command, String study, String output, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "--pipeline=" + StudyData.fixturePipeline(),
        "--output=" + output, "--languageId=false"));
    if (!command.equals("report")) {
      args.addAll(List.of("--replay=" + study, "--latencyScale=0", "--progressSeconds=0"));
    }
    if (!command.equals("run")) {
      args.add("--study=" + study);
    }
    // An option in more replaces the subset's.
    for (String o : SUBSET) {
      if (Stream.of(more).noneMatch(m -> m.startsWith(o.substring(0, o.indexOf('=') + 1)))) {
        args.add(o);
      }
    }
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /**
   * Every file below dir, relative path -> its bytes (as ISO-8859-1, one char a byte), with the
   * study's path, which the notes name, made alike.
   */
  private static Map<String, String> files(Path dir, String study) throws IOException {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String rel = dir.relativize(p).toString();
        String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).replace(study, "STUDY");
        all.put(rel, text);
      }
    }
    return all;
  }

  /** Files that record when, where and how a command ran, not what it computed. */
  private static void dropRunRecords(Map<String, String> files) {
    files.remove("manifest.json");
    files.remove(OutputMarker.FILE_NAME);
  }

  private void assertSameOutputs(Path local, String localStudy, String remoteName, List<String> measured)
      throws IOException {
    Map<String, String> l = files(local, localStudy);
    Map<String, String> r = files(work.resolve(remoteName), STUDY);
    dropRunRecords(l);
    dropRunRecords(r);
    assertEquals(l.keySet(), r.keySet());
    assertTrue(l.containsKey("tables/conditions.csv") && l.containsKey("report.html"), l.keySet()::toString);
    for (String f : l.keySet()) {
      if (measured.stream().noneMatch(f::startsWith)) {
        assertEquals(l.get(f), r.get(f), f);
      }
    }
    assertFalse(Files.exists(work.resolve("." + remoteName + ".cltbench-lock")), "the lock is released");
    try (Stream<Path> s = Files.list(work)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("." + remoteName + ".staging-")),
          "no staging left");
    }
  }

  @Test
  void reportOnATmpfsStudyWritesWhatTheLocalReportWrites() throws Exception {
    String local = StudyData.fixture().toAbsolutePath().normalize().toString();
    CliRun l = cli("report", local, tmp.resolve("report").toString());
    assertEquals(0, l.exit(), l::toString);
    CliRun r = cli("report", STUDY, "tmpfs://work/report");
    assertEquals(0, r.exit(), r::toString);
    assertSameOutputs(tmp.resolve("report"), local, "report", List.of());
  }

  @Test
  void replayAndGradeFromAndIntoTmpfsWriteWhatTheyWriteLocally() throws Exception {
    String local = StudyData.fixture().toAbsolutePath().normalize().toString();
    CliRun l = cli("run", local, tmp.resolve("replay").toString(), "--cache=" + tmp.resolve("cache"));
    assertEquals(0, l.exit(), l::toString);
    CliRun r = cli("run", STUDY, "tmpfs://work/replay", "--cache=tmpfs://work/cache");
    assertEquals(0, r.exit(), r::toString);
    // 2 models x 2 conditions x 4 questions.
    assertTrue(r.out().contains("tuples: 16 in = 16 graded + 0 failed"), r::toString);
    // Measured wall-clock latencies differ between any two runs; the rest is computed.
    List<String> measured = List.of("results/", "responses.jsonl", "report.html", "tables/times",
        "tables/conditions", "tables/families", "tables/models", "tables/categories", "tables/costs",
        "figures/figure-6-score-time", "grades/", "judges/");
    assertSameOutputs(tmp.resolve("replay"), local, "replay", measured);
    assertEquals(StudyFiles.grades(tmp.resolve("replay"), "response_time"),
        StudyFiles.grades(work.resolve("replay"), "response_time"));
    assertEquals(RunQuickstartTest.withoutColumn(tmp.resolve("replay/tables/conditions.csv"), "mean_time_s"),
        RunQuickstartTest.withoutColumn(work.resolve("replay/tables/conditions.csv"), "mean_time_s"));
    try (Stream<Path> cached = Files.walk(work.resolve("cache"))) {
      assertTrue(cached.anyMatch(Files::isRegularFile), "the cache was written on tmpfs");
    }
    // Again from the tmpfs cache: every call (16 answers, 16 judgments) is a hit, and the earlier
    // output (ours) is replaced.
    CliRun again = cli("run", STUDY, "tmpfs://work/replay", "--cache=tmpfs://work/cache");
    assertEquals(0, again.exit(), again::toString);
    assertTrue(again.out().contains("model calls: 0 made, 32 from cache"), again::toString);

    CliRun gl = cli("grade", local, tmp.resolve("grade").toString(), "--cache=");
    assertEquals(0, gl.exit(), gl::toString);
    CliRun gr = cli("grade", STUDY, "tmpfs://work/grade", "--cache=");
    assertEquals(0, gr.exit(), gr::toString);
    assertSameOutputs(tmp.resolve("grade"), local, "grade", List.of("responses.jsonl", "report.html",
        "results/", "tables/times", "tables/costs", "figures/figure-6-score-time", "grades/", "judges/"));
    assertEquals(Files.readString(tmp.resolve("grade/tables/judge_agreement.csv")),
        Files.readString(work.resolve("grade/tables/judge_agreement.csv")));
  }

  @Test
  void aTmpfsOutputFollowsTheOutputRules() throws Exception {
    String out = "tmpfs://work/out";
    // Not a cltbench output: refused, untouched.
    Files.createDirectories(work.resolve("out"));
    Files.writeString(work.resolve("out/notes.txt"), "mine");
    CliRun refused = cli("report", STUDY, out);
    assertEquals(2, refused.exit(), refused::toString);
    assertTrue(refused.err().contains("is not a cltbench output"), refused::toString);
    assertEquals("mine", Files.readString(work.resolve("out/notes.txt")));
    assertEquals(List.of("notes.txt"), names(work.resolve("out")));
    Files.delete(work.resolve("out/notes.txt"));

    CliRun first = cli("report", STUDY, out);
    assertEquals(0, first.exit(), first::toString);
    OutputMarker marker = OutputMarker.parse(Files.readString(work.resolve("out/" + OutputMarker.FILE_NAME)));
    assertTrue(marker.complete(), "the commit marker is the complete one");
    List<String> written = names(work.resolve("out"));
    written.remove(OutputMarker.FILE_NAME);
    assertEquals(written, marker.files());

    // An earlier output that also holds a file cltbench did not write: refused, nothing removed.
    Files.writeString(work.resolve("out/tables/extra.csv"), "x\n");
    CliRun extra = cli("report", STUDY, out);
    assertEquals(2, extra.exit(), extra::toString);
    assertTrue(extra.err().contains("which cltbench did not write"), extra::toString);
    assertTrue(Files.exists(work.resolve("out/tables/extra.csv")));
    Files.delete(work.resolve("out/tables/extra.csv"));

    // Another run holds the lock: refused, the output untouched.
    Path lock = work.resolve(".out.cltbench-lock");
    Files.writeString(lock, "another run\n");
    String before = Files.readString(work.resolve("out/report.html"));
    CliRun locked = cli("report", STUDY, out);
    assertEquals(2, locked.exit(), locked::toString);
    assertTrue(locked.err().contains("being written by another cltbench run"), locked::toString);
    assertEquals("another run\n", Files.readString(lock), "someone else's lock is left alone");
    Files.delete(lock);

    // A killed run's staging (it carries the marker) is removed; a look-alike without it is not.
    Path stale = Files.createDirectories(work.resolve(".out.staging-killed"));
    Files.writeString(stale.resolve(OutputMarker.FILE_NAME),
        new OutputMarker("report", "dev", "2026-12-01T00:00:00Z", List.of()).toJson());
    Files.writeString(stale.resolve("half.csv"), "a\n");
    Path foreign = Files.createDirectories(work.resolve(".out.staging-foreign"));
    Files.writeString(foreign.resolve("keep.txt"), "keep");
    CliRun replaced = cli("report", STUDY, out, "--limit=2");
    assertEquals(0, replaced.exit(), replaced::toString);
    assertFalse(Files.exists(stale), "the killed run's staging is gone");
    assertEquals("keep", Files.readString(foreign.resolve("keep.txt")));
    assertNotEquals(before, Files.readString(work.resolve("out/report.html")), "the earlier output was replaced");
    OutputMarker now = OutputMarker.parse(Files.readString(work.resolve("out/" + OutputMarker.FILE_NAME)));
    List<String> left = names(work.resolve("out"));
    left.remove(OutputMarker.FILE_NAME);
    assertEquals(left, now.files(), "only the new output's files are there");

    // Bad input: exit 2, the earlier output as it was, no staging left.
    String good = Files.readString(work.resolve("out/report.html"));
    CliRun bad = cli("report", STUDY, out, "--models=nobody");
    assertEquals(2, bad.exit(), bad::toString);
    assertEquals(good, Files.readString(work.resolve("out/report.html")));
    try (Stream<Path> s = Files.list(work)) {
      assertEquals(List.of(".out.staging-foreign", "out"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void publishingStoppedHalfWayLeavesAnOutputTheNextRunReplaces() throws Exception {
    String out = "tmpfs://work/half";
    CliRun first = cli("report", STUDY, out);
    assertEquals(0, first.exit(), first::toString);
    String earlier = Files.readString(work.resolve("half/tables/conditions.csv"));
    TmpfsFileSystem.failCopyTo("work/half/tables/conditions.csv");
    CliRun broken;
    try {
      broken = cli("report", STUDY, out, "--limit=2");
    } finally {
      TmpfsFileSystem.failCopyTo(null);
    }
    assertEquals(2, broken.exit(), broken::toString);
    assertTrue(broken.err().contains("publishing stopped half-way"), broken::toString);
    // The marker says so, and lists every file there: the earlier ones and those already copied.
    OutputMarker marker = OutputMarker.parse(Files.readString(work.resolve("half/" + OutputMarker.FILE_NAME)));
    assertFalse(marker.complete());
    List<String> there = names(work.resolve("half"));
    there.remove(OutputMarker.FILE_NAME);
    assertTrue(marker.files().containsAll(there), () -> there + " not all in " + marker.files());
    assertEquals(earlier, Files.readString(work.resolve("half/tables/conditions.csv")), "the failed copy");
    assertFalse(Files.exists(work.resolve(".half.cltbench-lock")), "the lock is released");

    CliRun again = cli("report", STUDY, out, "--limit=2");
    assertEquals(0, again.exit(), again::toString);
    OutputMarker done = OutputMarker.parse(Files.readString(work.resolve("half/" + OutputMarker.FILE_NAME)));
    assertTrue(done.complete());
    List<String> now = names(work.resolve("half"));
    now.remove(OutputMarker.FILE_NAME);
    assertEquals(now, done.files());
    assertNotEquals(earlier, Files.readString(work.resolve("half/tables/conditions.csv")));
  }

  @Test
  void theOutputMayNotBeOrHoldATmpfsInput() {
    CliRun inside = cli("report", STUDY, "tmpfs://study/out");
    assertEquals(2, inside.exit(), inside::toString);
    assertTrue(inside.err().contains("lies inside the study directory"), inside::toString);
    CliRun same = cli("report", "tmpfs://work/a/study/", "tmpfs://work/a/study");
    assertEquals(2, same.exit(), same::toString);
    assertTrue(same.err().contains("is the study directory"), same::toString);
    CliRun around = cli("report", "tmpfs://work/a/study", "tmpfs://work/a");
    assertEquals(2, around.exit(), around::toString);
    assertTrue(around.err().contains("contains the study directory"), around::toString);
    CliRun root = cli("report", STUDY, "tmpfs://work");
    assertEquals(2, root.exit(), root::toString);
    assertTrue(root.err().contains("bucket's root"), root::toString);
  }

  private static List<String> names(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString()));
    }
    out.sort(null);
    return out;
  }
}
