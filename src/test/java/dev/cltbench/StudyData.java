package dev.cltbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where tests find their studies: the small fixture study in the test resources (made for the tests,
 * see its README.md), which most tests use, and the published study beside the project, which only the
 * tests that reproduce its figures or run it end to end need.
 */
public final class StudyData {
  private StudyData() {}

  /**
   * The published study, checked against the checksums of the files the tests were written for; a
   * missing or changed copy stops the test with one line (see {@link PublishedStudyCheck}).
   */
  public static Path study() {
    return PublishedStudyCheck.verified();
  }

  /** The fixture study: 2 models x 5 conditions x 8 questions, in the published study's layout. */
  public static Path fixture() {
    return Path.of("src/test/resources/dev/cltbench/fixture-study");
  }

  /** The fixture study's own pipeline definition (its models, judge, prompts and conditions C1..C5). */
  public static Path fixturePipeline() {
    return fixture().resolve("pipeline.json");
  }

  /** A writable copy of the fixture study (its pipeline file included) at {@code target}. */
  public static Path copyFixture(Path target) throws IOException {
    return copy(fixture(), target);
  }

  public static Path leftBehindPipeline() {
    return Path.of("pipelines/left-behind.json");
  }

  /** A writable copy of the published study at {@code target}, for tests that edit or break it. */
  public static Path copyStudy(Path target) throws IOException {
    return copy(study(), target);
  }

  private static Path copy(Path src, Path target) throws IOException {
    try (var walk = Files.walk(src)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path dst = target.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }

  /**
   * The responses recorded in a study's results files, counted from the files themselves, so that a
   * test's expected totals follow the study it reads rather than a number copied from a report.
   */
  public static long responses(Path study) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    long n = 0;
    try (var walk = Files.walk(study.resolve("results"))) {
      for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".json"))::iterator) {
        n += json.readTree(p.toFile()).get("responses").size();
      }
    }
    return n;
  }

  /** Deletes a folder of a test's own copy and everything in it, deepest first. */
  public static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
