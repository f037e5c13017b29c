package dev.cltbench;

import dev.cltbench.study.PublishedStudy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the published study for the tests and checks it is the one they were written for: the SHA-256
 * of every file of its benchmark/, results/, grades/ and scripts/ against {@code published-study.sha256}
 * (the files of {@link PublishedStudy#COMMIT}). Missing or different, the tests stop with one line that
 * says so and where to get it. {@link #main} is the same check as an early step of the build.
 */
public final class PublishedStudyCheck {
  private PublishedStudyCheck() {}

  /** The folders the manifest covers; the study's README.md is a local note and may differ. */
  static final List<String> FOLDERS = List.of("benchmark", "results", "grades", "scripts");

  static final String MANIFEST = "/dev/cltbench/published-study.sha256";

  private static Path verified;

  private static String failure;

  /**
   * The published study, checked once per JVM; every later call gets the same answer.
   *
   * @throws Unavailable without a stack trace: its one line is the whole story
   */
  public static synchronized Path verified() {
    if (verified == null && failure == null) {
      Path study = location();
      failure = problem(study);
      if (failure == null) {
        verified = study;
      }
    }
    if (failure != null) {
      throw new Unavailable(failure);
    }
    return verified;
  }

  /** -Dcltbench.study (the build sets it from CLTBENCH_STUDY), else CLTBENCH_STUDY, else beside the project. */
  static Path location() {
    String property = System.getProperty("cltbench.study");
    return Path.of(property != null && !property.isBlank() ? property : PublishedStudy.location(System::getenv));
  }

  /** Why {@code study} cannot be tested against (one line), or null when it is the published study. */
  static String problem(Path study) {
    if (!Files.isDirectory(study.resolve("results"))) {
      return "the published study is not at " + study.toAbsolutePath().normalize() + "; it is "
          + PublishedStudy.whereToGet() + " (the tests read CLTBENCH_STUDY too)";
    }
    List<String> differences;
    try {
      differences = differences(study, manifest());
    } catch (IOException e) {
      return "the published study at " + study.toAbsolutePath().normalize() + " cannot be read: " + e;
    }
    if (differences.isEmpty()) {
      return null;
    }
    int shown = Math.min(5, differences.size());
    return "the published study at " + study.toAbsolutePath().normalize() + " is not the one the tests were"
        + " written for (github.com/" + PublishedStudy.REPOSITORY + " at " + PublishedStudy.COMMIT.substring(0, 7)
        + "): " + String.join(", ", differences.subList(0, shown))
        + (differences.size() > shown ? " and " + (differences.size() - shown) + " more" : "")
        + "; put that commit's files there (scripts/get-study.sh checks a copy)";
  }

  /** The manifest: relative path to SHA-256 (hex), in {@code sha256sum}'s format. */
  static Map<String, String> manifest() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    try (InputStream in = PublishedStudyCheck.class.getResourceAsStream(MANIFEST)) {
      if (in == null) {
        throw new IOException("no " + MANIFEST + " on the test class path");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          // sha256sum writes "<hex>  <path>" (two spaces; "<hex> *<path>" in binary mode).
          expected.put(line.substring(66), line.substring(0, 64));
        }
      }
    }
    return expected;
  }

  /**
   * What differs between {@code study} and {@code expected}, sorted by file: "F changed", "F missing",
   * "F not in it". Hidden files (a desktop's .DS_Store) are not counted as extra.
   */
  static List<String> differences(Path study, Map<String, String> expected) throws IOException {
    Map<String, String> actual = new TreeMap<>();
    for (String folder : FOLDERS) {
      Path dir = study.resolve(folder);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (var walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
        for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
          String rel = study.relativize(p).toString().replace('\\', '/');
          if (expected.containsKey(rel) || !p.getFileName().toString().startsWith(".")) {
            actual.put(rel, sha256(p));
          }
        }
      }
    }
    TreeSet<String> files = new TreeSet<>(expected.keySet());
    files.addAll(actual.keySet());
    List<String> out = new ArrayList<>();
    for (String f : files) {
      String want = expected.get(f);
      String got = actual.get(f);
      if (want == null) {
        out.add(f + " not in it");
      } else if (got == null) {
        out.add(f + " missing");
      } else if (!want.equals(got)) {
        out.add(f + " changed");
      }
    }
    return out;
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  /**
   * The build's early check (before any test runs), so that {@code mvn verify} without the study fails
   * once with the line instead of in every test that reads it. A run of chosen tests ({@code -Dtest})
   * skips it: those tests check for themselves, and tests that do not read the study run without it.
   */
  public static void main(String[] args) {
    if (System.getProperty("test") == null && !Boolean.parseBoolean(System.getProperty("skipTests"))) {
      check(args);
    }
  }

  /** {@link #main}'s check: prints that the study matches, or throws {@link Unavailable}. */
  static void check(String[] args) {
    // args: the study as the build names it, and the project's folder that a relative name is read from
    // (as the tests' working directory does).
    Path study = args.length > 0 && !args[0].isBlank()
        ? (args.length > 1 ? Path.of(args[1]).resolve(args[0]) : Path.of(args[0])) : location();
    String why = problem(study);
    if (why != null) {
      throw new Unavailable(why);
    }
    System.out.println("published study: " + study.toAbsolutePath().normalize() + " matches "
        + MANIFEST.substring(1) + " (" + PublishedStudy.REPOSITORY + " at " + PublishedStudy.COMMIT.substring(0, 7) + ")");
  }

  /** The study cannot be tested against; the message says why and what to do. */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message, null, false, false);
    }

    /** The line alone, wherever it is printed (the build's check prints the exception as it is). */
    @Override
    public String toString() {
      return getMessage();
    }
  }
}
