package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Under CI a browser test never skips: a missing browser, node or package fails the build. */
class ExplorerBrowserTest {
  @Test
  void missingBrowserFailsUnderCiAndSkipsElsewhere() {
    String missing = "browser test skipped: not installed: chromium (apt-get install chromium)";
    assertThrows(AssertionFailedError.class, () -> ExplorerBrowser.requireInstalled(missing, Map.of("CI", "true")));
    assertThrows(TestAbortedException.class, () -> ExplorerBrowser.requireInstalled(missing, Map.of()));
    assertThrows(TestAbortedException.class, () -> ExplorerBrowser.requireInstalled(missing, Map.of("CI", "false")));
    ExplorerBrowser.requireInstalled(null, Map.of("CI", "true"));
  }
}
