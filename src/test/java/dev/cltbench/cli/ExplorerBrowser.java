package dev.cltbench.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the browser checks in src/test/playwright (playwright-core driving Debian's chromium, axe-core)
 * on a report.html. {@link #requireInstalled} skips a browser test when something is not installed,
 * except under CI ({@code CI=true}), where a missing browser, node or npm package fails the build: a
 * green CI must mean the page was opened.
 */
final class ExplorerBrowser {
  static final Path SCRIPT = Path.of("src/test/playwright/explorer-check.mjs");
  static final Path PLAYWRIGHT = Path.of("src/test/playwright/node_modules/playwright-core");
  static final Path AXE = Path.of("src/test/playwright/node_modules/axe-core/axe.min.js");

  private ExplorerBrowser() {}

  static String chromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  static String node() {
    for (String c : List.of("/usr/bin/node", "/usr/local/bin/node")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  /** Null when everything is there, else what is missing and how .ci/run installs it. */
  static String missing() {
    List<String> out = new ArrayList<>();
    if (chromium() == null) {
      out.add("chromium (apt-get install chromium)");
    }
    if (node() == null) {
      out.add("node (apt-get install nodejs npm)");
    }
    if (!Files.isDirectory(PLAYWRIGHT)) {
      out.add("playwright-core (npm ci in src/test/playwright)");
    }
    if (!Files.isRegularFile(AXE)) {
      out.add("axe-core (npm ci in src/test/playwright)");
    }
    return out.isEmpty() ? null : "browser test skipped: not installed: " + String.join(", ", out);
  }

  /**
   * Skips the calling test (JUnit assumption) when {@link #missing} names something, or fails it when
   * {@code env} has CI=true.
   */
  static void requireInstalled(String missing, Map<String, String> env) {
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(env.getOrDefault("CI", ""))) {
      Assertions.fail("CI=true and " + missing.replace("browser test skipped: ", ""));
    }
    Assumptions.abort(missing);
  }

  static void requireInstalled() {
    requireInstalled(missing(), System.getenv());
  }

  record Outcome(int exit, String output) {}

  /** The report page's checks (report-check.mjs) at 1440x900 and 390x844; {@code maxTotal}: the rubric's. */
  static Outcome reportPage(Path report, int maxTotal) throws Exception {
    // Two widths of axe-core over a 2,000-response page: a minute on an idle machine, more on a busy one.
    return node(List.of(Path.of("src/test/playwright/report-check.mjs").toString(),
        report.toAbsolutePath().toString(), chromium(), String.valueOf(maxTotal)), 600);
  }

  /** Grades the first {@code graded} responses of a review form and exports its CSV to {@code csv}. */
  static Outcome reviewForm(Path form, Path csv, int graded) throws Exception {
    return node(List.of(Path.of("src/test/playwright/review-form-check.mjs").toString(),
        form.toAbsolutePath().toString(), chromium(), csv.toAbsolutePath().toString(), String.valueOf(graded)));
  }

  private static Outcome node(List<String> args) throws Exception {
    return node(args, 300);
  }

  /** Runs node; stdout is the check's JSON, stderr (kept apart) its progress, shown when it times out. */
  private static Outcome node(List<String> args, int seconds) throws Exception {
    Path log = Files.createTempFile("browser-check", ".json");
    Path progress = Files.createTempFile("browser-check", ".log");
    try {
      List<String> command = new ArrayList<>(List.of(node()));
      command.addAll(args);
      Process p = new ProcessBuilder(command).redirectOutput(log.toFile())
          .redirectError(progress.toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(-1, "timed out after " + seconds + " s; progress:\n"
            + Files.readString(progress, StandardCharsets.UTF_8));
      }
      String err = Files.readString(progress, StandardCharsets.UTF_8);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      // A failed run's stderr is the error; a passing one's is only progress.
      return new Outcome(p.exitValue(), p.exitValue() == 0 ? out : out + "\n" + err);
    } finally {
      Files.deleteIfExists(log);
      Files.deleteIfExists(progress);
    }
  }

  static Outcome run(Path report, String model, String condition, String language) throws Exception {
    Path log = Files.createTempFile("explorer-check", ".json");
    try {
      Process p = new ProcessBuilder(node(), SCRIPT.toString(), report.toAbsolutePath().toString(),
          chromium(), model, condition, language)
          .redirectOutput(log.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(-1, "timed out after 300 s");
      }
      return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
      new File(log.toString()).delete();
    }
  }
}
