package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PublishedStudy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that reads a study, pointed at a folder that is not there, says in one line where the
 * published study comes from and exits 2, writing nothing.
 */
class MissingStudyTest {
  @TempDir Path tmp;

  @Test
  void everyStudyReadingCommandSaysWhereToGetTheStudy() {
    Path nowhere = tmp.resolve("shared/left-behind-clt");
    for (String[] command : new String[][] {
        {"report", "--output=" + tmp.resolve("out-report")},
        {"grade", "--output=" + tmp.resolve("out-grade")},
        {"review-sample", "--output=" + tmp.resolve("out-review")},
        {"bench", "--output=" + tmp.resolve("out-bench")},
        {"synth", "--output=" + tmp.resolve("out-synth")},
        {"validate-language"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--study=" + nowhere;
      CliRun r = CliRun.of(args);
      assertEquals(Main.BAD_INPUT, r.exit(), command[0] + ": " + r);
      assertEquals(1, r.err().strip().lines().count(), command[0] + ": " + r);
      assertTrue(r.err().startsWith("error: no study directory at " + nowhere.toAbsolutePath() + "; "),
          command[0] + ": " + r);
      assertTrue(r.err().contains("github.com/abdulsal3m/left-behind-clt at commit 59a17bb"), r.err());
      assertTrue(r.err().contains("scripts/get-study.sh"), r.err());
      assertFalse(r.err().contains("\tat "), r.err());
    }
    assertEquals(0, tmp.toFile().list().length, "written: " + java.util.Arrays.toString(tmp.toFile().list()));
  }

  @Test
  void theEnvironmentVariableMovesTheDefault() {
    assertEquals("/data/study", PublishedStudy.location(Map.of("CLTBENCH_STUDY", "/data/study")::get));
    assertEquals("../shared/left-behind-clt", PublishedStudy.location(Map.<String, String>of()::get));
    assertEquals("../shared/left-behind-clt", PublishedStudy.location(Map.of("CLTBENCH_STUDY", " ")::get));
  }

  @Test
  void aStudyOnAnotherFileSystemIsLeftToItsReaders() {
    // No local check of a gs:// path (it would always be "missing"); its readers name what is not there.
    PublishedStudy.requireDirectory("gs://bucket/study");
  }
}
