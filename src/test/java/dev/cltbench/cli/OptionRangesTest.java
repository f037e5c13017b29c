package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Options Beam parses by type but not by range, and options that do not exist: one line naming the
 * option, exit 2, nothing written and nothing called (the quickstart would otherwise run).
 */
class OptionRangesTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "run|--budgetUsd=-1|--budgetUsd must be a positive number of USD, was -1.0",
      "run|--budgetUsd=0|--budgetUsd must be a positive number of USD, was 0.0",
      "run|--budgetUsd=NaN|--budgetUsd must be a positive number of USD, was NaN",
      "run|--maxFailureRate=2|--maxFailureRate must be between 0 and 1",
      "run|--maxFailureRate=-0.1|--maxFailureRate must be between 0 and 1",
      "run|--latencyScale=-1|--latencyScale must be 0 (no waiting) or a positive factor",
      "run|--progressSeconds=-5|--progressSeconds must be 0",
      "grade|--maxFailureRate=1.5|--maxFailureRate must be between 0 and 1",
      "bench|--budgetUsd=-3|--budgetUsd must be a positive number of USD"})
  void outOfRangeIsOneLineExit2AndNothingWritten(String command, String option, String message) {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of(command, option, "--output=" + out, "--cache=" + tmp.resolve("cache"));
    assertEquals(2, r.exit(), r::toString);
    assertEquals("error: " + message, r.err().strip().lines().reduce((a, b) -> b).orElse("")
        .substring(0, ("error: " + message).length()), r::toString);
    assertEquals(1, r.err().strip().lines().count(), r::toString);
    assertFalse(Files.exists(out), "nothing written");
    assertFalse(Files.exists(tmp.resolve("cache")), "nothing cached");
  }

  @Test
  void aTypoIsNamedWithTheCommandsOwnOptionOnly() {
    CliRun typo = CliRun.of("run", "--runer=FlinkRunner", "--output=" + tmp.resolve("a"));
    assertEquals(2, typo.exit(), typo::toString);
    assertEquals("error: unknown option --runer (did you mean --runner?); see --help", typo.err().strip(), typo::toString);

    CliRun cache = CliRun.of("report", "--cahce=x", "--output=" + tmp.resolve("b"));
    assertEquals("error: unknown option --cahce; see --help", cache.err().strip(), cache::toString);

    // Beam would suggest 'zone' (a Google Cloud option no cltbench command has): no suggestion then.
    CliRun none = CliRun.of("run", "--nope", "--output=" + tmp.resolve("c"));
    assertEquals(2, none.exit(), none::toString);
    assertTrue(none.err().strip().startsWith("error: unknown option --nope"), none::toString);
    assertFalse(none.err().contains("zone") || none.err().contains("Class interface"), none::toString);
    assertFalse(Files.exists(tmp.resolve("a")) || Files.exists(tmp.resolve("b")) || Files.exists(tmp.resolve("c")));
  }
}
