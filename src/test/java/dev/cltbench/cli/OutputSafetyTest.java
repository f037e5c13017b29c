package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import dev.cltbench.output.LocalOutput;
import dev.cltbench.output.OutputMarker;
import dev.cltbench.pipelines.RunJob;
import dev.cltbench.pipelines.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every --output that must be refused, for report, run and grade: exit 2, a message saying why, and
 * every byte that was there before still there (each file hashed before and after), with no staging
 * directory or lock left behind.
 */
class OutputSafetyTest {
  @TempDir Path tmp;

  record Result(int code, String err) {}

  /** The pipeline file report and grade read (run reads the quickstart's). */
  Path pipeline = StudyData.fixturePipeline();

  /** The command's arguments apart from --output; all read the fixture study or the quickstart. */
  List<String> base(String command) {
    return switch (command) {
      case "report" -> List.of("report", "--pipeline=" + pipeline, "--study=" + StudyData.fixture());
      case "run" -> List.of("run", "--pipeline=pipelines/quickstart.json", "--cache=" + tmp.resolve("cache"),
          "--progressSeconds=0");
      case "grade" -> List.of("grade", "--pipeline=" + pipeline, "--study=" + StudyData.fixture(),
          "--replay=" + StudyData.fixture(),
          "--cache=" + tmp.resolve("cache"), "--progressSeconds=0");
      default -> throw new IllegalArgumentException(command);
    };
  }

  Result run(String command, String... more) {
    List<String> args = new ArrayList<>(base(command));
    args.addAll(List.of(more));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, err.toString(StandardCharsets.UTF_8));
  }

  /** Runs, expects a refusal mentioning {@code why}, and checks {@code roots} are byte-identical. */
  void refused(String command, String output, String why, Path... roots) throws IOException {
    List<Map<String, String>> before = new ArrayList<>();
    for (Path r : roots) {
      before.add(FileHashes.of(r, "target", "output"));
    }
    Map<String, String> tmpBefore = FileHashes.of(tmp);
    Result r = run(command, "--output=" + output);
    assertEquals(Main.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(why), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    for (int i = 0; i < roots.length; i++) {
      assertEquals(before.get(i), FileHashes.of(roots[i], "target", "output"), "every byte of " + roots[i] + " kept");
    }
    assertEquals(tmpBefore, FileHashes.of(tmp), "nothing added, changed or left behind in " + tmp);
  }

  Path foreignFolder() throws IOException {
    Path thesis = tmp.resolve("thesis");
    Files.createDirectories(thesis.resolve("drafts"));
    Files.writeString(thesis.resolve("thesis.tex"), "\\documentclass{book} years of work");
    Files.writeString(thesis.resolve("drafts/ch1.tex"), "chapter one");
    return thesis;
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void aForeignFolderIsRefused(String command) throws IOException {
    Path thesis = foreignFolder();
    refused(command, thesis.toString(), "is not a cltbench output", thesis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void aRegularFileIsRefused(String command) throws IOException {
    Path file = tmp.resolve("notes.txt");
    Files.writeString(file, "my notes");
    refused(command, file.toString(), "is a file, not a directory", file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void anEmptyOutputIsRefused(String command) throws IOException {
    refused(command, "", "--output is empty", Path.of("."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void theCurrentDirectoryAndItsParentsAreRefused(String command) throws IOException {
    refused(command, ".", "is the current directory", Path.of("."));
    refused(command, "..", "contains the current directory", Path.of("."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void aFilesystemRootIsRefused(String command) throws IOException {
    refused(command, "/", "is a filesystem root");
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void theHomeDirectoryIsRefused(String command) throws IOException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve(".bashrc"), "export X=1");
    String saved = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      refused(command, home.toString(), "is your home directory", home);
      refused(command, tmp.toString(), "contains your home directory", home);
    } finally {
      System.setProperty("user.home", saved);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "grade"})
  void theStudyItsParentAndItsInsideAreRefused(String command) throws IOException {
    Path study = StudyData.fixture().toAbsolutePath().normalize();
    // The fixture's pipeline file lies in the study directory and would be refused first: a copy.
    pipeline = Files.copy(StudyData.fixturePipeline(), tmp.resolve("fixture.json"));
    refused(command, study.toString(), "is the study directory", study);
    refused(command, study.getParent().toString(), "contains the study directory", study);
    refused(command, study.resolve("tables").toString(), "lies inside the study directory", study);
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void thePipelineFileAndItsFolderAreRefused(String command) throws IOException {
    Path folder = Path.of("pipelines");
    if (!command.equals("run")) {
      // The fixture's pipeline file lies in its study directory: a copy in a folder of its own, so that
      // the refusal is the pipeline file's, not the study's.
      folder = Files.createDirectories(tmp.resolve("pipelines"));
      pipeline = Files.copy(StudyData.fixturePipeline(), folder.resolve("fixture.json"));
    }
    String file = command.equals("run") ? "pipelines/quickstart.json" : pipeline.toString();
    refused(command, file, "is the pipeline file", folder);
    refused(command, folder.toString(), "contains the pipeline file", folder);
  }

  @Test
  void runRefusesTheBenchmarkAndTheCache() throws IOException {
    refused("run", "benchmark", "contains the benchmark", Path.of("benchmark"));
    refused("run", tmp.resolve("cache/out").toString(), "lies inside the cache");
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void aCltbenchOutputHoldingSomeoneElsesFileIsRefused(String command) throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out.resolve("tables"));
    Files.writeString(out.resolve("tables/conditions.csv"), "condition\n");
    Files.writeString(out.resolve(OutputMarker.FILE_NAME),
        new OutputMarker("report", "dev", "2026-12-01T00:00:00Z", List.of("tables/conditions.csv")).toJson());
    Files.writeString(out.resolve("my-analysis.R"), "plot(x)");
    refused(command, out.toString(), "holds my-analysis.R, which cltbench did not write", out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void aSecondRunIntoALockedOutputIsRefused(String command) throws IOException {
    Path out = tmp.resolve("out");
    Path staging = tmp.resolve(".out.staging-0000");
    Files.createDirectories(staging);
    Files.writeString(staging.resolve(OutputMarker.FILE_NAME),
        new OutputMarker(command, "dev", "2026-12-01T00:00:00Z", List.of()).toJson());
    Files.writeString(staging.resolve("half-written.csv"), "a,b\n");
    try (LocalOutput.Lock held = LocalOutput.Lock.acquire(LocalOutput.resolve(out), out.toString())) {
      refused(command, out.toString(), "is being written by another cltbench run", staging);
    }
  }

  @Test
  void runWithoutOutputWritesUnderThePipelinesName() {
    RunOptions o = org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(
        "--pipeline=pipelines/left-behind.json").as(RunOptions.class);
    assertEquals("output/left-behind", RunJob.outputDirectory(o));
    o.setPipeline(null);
    assertEquals("output/quickstart", RunJob.outputDirectory(o));
  }

  @Test
  void anEarlierCltbenchOutputIsReplacedWholeAndNothingIsLeftBeside() throws IOException {
    Path out = tmp.resolve("out");
    Result first = run("report", "--output=" + out, "--languageId=false");
    assertEquals(0, first.code(), first.err());
    OutputMarker marker = OutputMarker.parse(Files.readString(out.resolve(OutputMarker.FILE_NAME)));
    assertEquals("report", marker.command());
    assertTrue(marker.files().contains("report.html") && marker.files().contains("tables/conditions.csv"),
        marker.files().toString());
    Files.writeString(out.resolve("report.html"), "an older report");
    Result second = run("report", "--output=" + out, "--languageId=false");
    assertEquals(0, second.code(), second.err());
    assertFalse(Files.readString(out.resolve("report.html")).equals("an older report"));
    try (var list = Files.list(tmp)) {
      assertEquals(List.of("out"), list.map(p -> p.getFileName().toString()).toList(),
          "no staging directory, old output or lock left");
    }
  }

  /** Sets or clears the immutable attribute (refuses changes even to root); false where unsupported. */
  static boolean immutable(Path p, boolean on) {
    try {
      Process proc = new ProcessBuilder("chattr", on ? "+i" : "-i", p.toString()).redirectErrorStream(true).start();
      proc.getInputStream().readAllBytes();
      return proc.waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  Path earlierOutput() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out.resolve("tables"));
    Files.writeString(out.resolve("tables/conditions.csv"), "condition\n");
    Files.writeString(out.resolve(OutputMarker.FILE_NAME),
        new OutputMarker("report", "dev", "2026-12-01T00:00:00Z", List.of("tables/conditions.csv")).toJson());
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void anEarlierOutputThatCannotBeEmptiedIsRefusedBeforeAnyWork(String command) throws IOException {
    Path out = earlierOutput();
    org.junit.jupiter.api.Assumptions.assumeTrue(immutable(out.resolve("tables"), true), "chattr works here");
    try {
      refused(command, out.toString(), "no permission to remove files in " + LocalOutput.resolve(out.resolve("tables")), out);
    } finally {
      immutable(out.resolve("tables"), false);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "run", "grade"})
  void anUnwritableParentIsAClearErrorAndNothingIsMoved(String command) throws IOException {
    Path parent = tmp.resolve("locked");
    Files.createDirectories(parent);
    Path out = parent.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve(OutputMarker.FILE_NAME),
        new OutputMarker("report", "dev", "2026-12-01T00:00:00Z", List.of()).toJson());
    org.junit.jupiter.api.Assumptions.assumeTrue(immutable(parent, true), "chattr works here");
    try {
      refused(command, out.toString(), "no permission to write in " + LocalOutput.resolve(parent), parent);
    } finally {
      immutable(parent, false);
    }
  }
}
