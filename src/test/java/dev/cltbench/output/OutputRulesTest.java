package dev.cltbench.output;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules alone, over paths that need not exist: what a stager on any file system asks. */
class OutputRulesTest {
  static final Path CWD = Path.of("/home/ana/clone");
  static final Path HOME = Path.of("/home/ana");
  static final List<OutputRules.Input> INPUTS = List.of(
      new OutputRules.Input("study directory", Path.of("/data/study")),
      new OutputRules.Input("cache", Path.of("/home/ana/clone/output/.cache")));

  static String refusal(String target) {
    return assertThrows(UnsafeOutputException.class,
        () -> OutputRules.checkPlacement(target, Path.of(target), INPUTS, CWD, HOME)).getMessage();
  }

  @Test
  void placements() {
    assertTrue(refusal("/").contains("is a filesystem root"));
    assertTrue(refusal("/home/ana").contains("is your home directory"));
    assertTrue(refusal("/home").contains("contains your home directory"));
    assertTrue(refusal("/home/ana/clone").contains("is the current directory"));
    assertTrue(refusal("/data/study").contains("is the study directory"));
    assertTrue(refusal("/data").contains("contains the study directory"));
    assertTrue(refusal("/data/study/out").contains("lies inside the study directory"));
    assertTrue(refusal("/home/ana/clone/output").contains("contains the cache"));
    assertDoesNotThrow(() -> OutputRules.checkPlacement("x", Path.of("/home/ana/clone/output/x"), INPUTS, CWD, HOME));
    // A sibling whose name starts like an input's is not inside it.
    assertDoesNotThrow(() -> OutputRules.checkPlacement("x", Path.of("/data/study-report"), INPUTS, CWD, HOME));
  }

  @Test
  void whatMayBeReplaced() {
    OutputMarker marker = new OutputMarker("report", "dev", "t", List.of("report.html", "tables/a.csv"));
    assertDoesNotThrow(() -> OutputRules.checkReplaceable("o", OutputRules.Existing.nothing()));
    assertDoesNotThrow(() -> OutputRules.checkReplaceable("o",
        new OutputRules.Existing(OutputRules.Existing.Kind.DIRECTORY, List.of(), null)));
    assertDoesNotThrow(() -> OutputRules.checkReplaceable("o",
        new OutputRules.Existing(OutputRules.Existing.Kind.DIRECTORY, List.of("report.html"), marker)));
    assertThrows(UnsafeOutputException.class, () -> OutputRules.checkReplaceable("o",
        new OutputRules.Existing(OutputRules.Existing.Kind.DIRECTORY, List.of("thesis.tex"), null)));
    assertThrows(UnsafeOutputException.class, () -> OutputRules.checkReplaceable("o",
        new OutputRules.Existing(OutputRules.Existing.Kind.DIRECTORY, List.of("report.html", "notes.md"), marker)));
    assertThrows(UnsafeOutputException.class, () -> OutputRules.checkReplaceable("o",
        new OutputRules.Existing(OutputRules.Existing.Kind.FILE, List.of(), null)));
    assertThrows(UnsafeOutputException.class, () -> OutputRules.checkReplaceable("o",
        new OutputRules.Existing(OutputRules.Existing.Kind.LINK, List.of(), null)));
  }

  @Test
  void aMarkerRoundTripsAndAnythingElseIsNotOne() {
    OutputMarker m = new OutputMarker("run", "0.1.0", "2026-12-02T16:00:00Z", List.of("a", "b/c"));
    assertTrue(m.equals(OutputMarker.parse(m.toJson())));
    assertTrue(OutputMarker.parse("{\"command\": \"run\"}") == null);
    assertTrue(OutputMarker.parse("not json") == null);
  }
}
