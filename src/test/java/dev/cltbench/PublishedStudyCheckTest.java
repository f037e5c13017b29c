package dev.cltbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PublishedStudy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published study's checksums: a copy that differs in one file is named by that file. */
class PublishedStudyCheckTest {
  @TempDir Path tmp;

  @Test
  void theManifestCoversTheFoldersOfTheStudyTheTestsRead() throws IOException {
    Map<String, String> manifest = PublishedStudyCheck.manifest();
    // 8 models x 5 conditions, 5 grade files, the 50 questions: counted from the folders' layout
    // (README of the study), not from the manifest itself.
    assertEquals(40, manifest.keySet().stream().filter(f -> f.matches("results/C\\d_[a-z_]+/[^/]+\\.json")).count());
    assertEquals(5, manifest.keySet().stream().filter(f -> f.matches("grades/C\\d_[a-z_]+\\.csv")).count());
    assertTrue(manifest.containsKey("benchmark/questions.json"));
    assertTrue(manifest.values().stream().allMatch(h -> h.matches("[0-9a-f]{64}")));
    assertEquals(StudyData.study(), PublishedStudyCheck.verified());
    assertEquals(List.of(), PublishedStudyCheck.differences(StudyData.study(), manifest));
  }

  @Test
  void theScriptAndTheReadmeNameTheCommitTheManifestWasMadeFrom() throws IOException {
    String script = Files.readString(Path.of("scripts/get-study.sh"), StandardCharsets.UTF_8);
    assertTrue(script.contains("\ncommit=" + PublishedStudy.COMMIT + "\n"), "scripts/get-study.sh");
    assertTrue(script.contains("https://github.com/" + PublishedStudy.REPOSITORY + ".git"), "scripts/get-study.sh");
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    assertTrue(readme.contains("checkout " + PublishedStudy.COMMIT), "README.md");
    assertTrue(readme.contains("`" + PublishedStudy.REPOSITORY + "`"), "README.md");
  }

  @Test
  void coreutilsAgreesWithTheManifest() throws Exception {
    // The same manifest checked by a program we did not write (sha256sum's own format and digests).
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/sha256sum")), "no sha256sum here");
    Path manifest = tmp.resolve("published-study.sha256");
    try (var in = PublishedStudyCheck.class.getResourceAsStream(PublishedStudyCheck.MANIFEST)) {
      Files.copy(in, manifest);
    }
    Process p = new ProcessBuilder("/usr/bin/sha256sum", "--check", "--quiet", "--strict", manifest.toString())
        .directory(StudyData.study().toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
  }

  @Test
  void aChangedFileIsNamedAndOnlyIt() throws IOException {
    Path copy = StudyData.copyStudy(tmp.resolve("study"));
    assertNull(PublishedStudyCheck.problem(copy));
    Files.writeString(copy.resolve("grades/C2_kazakh.csv"), "\n", StandardOpenOption.APPEND);
    String problem = PublishedStudyCheck.problem(copy);
    assertTrue(problem.contains(": grades/C2_kazakh.csv changed;"), problem);
    assertFalse(problem.contains("\n"), problem);
    assertTrue(problem.contains("scripts/get-study.sh"), problem);
  }

  @Test
  void missingAndExtraFilesAreNamedAndHiddenFilesIgnored() throws IOException {
    Path copy = StudyData.copyStudy(tmp.resolve("study"));
    Files.delete(copy.resolve("results/C4_mongolian/qwen3.json"));
    Files.writeString(copy.resolve("results/C1_english/extra.json"), "{}");
    Files.writeString(copy.resolve("results/.DS_Store"), "x");
    // The study's README.md is outside the checked folders: a local note may differ.
    Files.writeString(copy.resolve("README.md"), "local note");
    assertEquals(List.of("results/C1_english/extra.json not in it", "results/C4_mongolian/qwen3.json missing"),
        PublishedStudyCheck.differences(copy, PublishedStudyCheck.manifest()));
  }

  @Test
  void manyDifferencesAreCountedNotAllListed() throws IOException {
    Path copy = StudyData.copyStudy(tmp.resolve("study"));
    try (var files = Files.list(copy.resolve("results/C1_english"))) {
      for (Path f : files.toList()) {
        Files.writeString(f, " ", StandardOpenOption.APPEND);
      }
    }
    String problem = PublishedStudyCheck.problem(copy);
    assertTrue(problem.contains(" and 3 more;"), problem);
  }

  @Test
  void aMissingStudySaysWhereToGetItInOneLineWithoutAStackTrace() {
    Path nowhere = tmp.resolve("no-study");
    String problem = PublishedStudyCheck.problem(nowhere);
    assertTrue(problem.startsWith("the published study is not at " + nowhere.toAbsolutePath()), problem);
    assertTrue(problem.contains("github.com/abdulsal3m/left-behind-clt at commit 59a17bb"), problem);
    assertTrue(problem.contains("scripts/get-study.sh"), problem);
    assertFalse(problem.contains("\n"), problem);
    var e = assertThrows(PublishedStudyCheck.Unavailable.class,
        () -> PublishedStudyCheck.check(new String[] {"no-study", tmp.toString()}));
    assertEquals(problem, e.getMessage());
    assertEquals(0, e.getStackTrace().length);
  }
}
