package dev.cltbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where tests find the published study (beside the project) and the project's own files. */
public final class StudyData {
  private StudyData() {}

  public static Path study() {
    Path p = Path.of(System.getProperty("cltbench.study", "../shared/left-behind-clt"));
    if (!Files.isDirectory(p.resolve("results"))) {
      throw new IllegalStateException("the published study is not at " + p.toAbsolutePath()
          + "; tests need ../shared/left-behind-clt beside the project");
    }
    return p;
  }

  public static Path leftBehindPipeline() {
    return Path.of("pipelines/left-behind.json");
  }

  /** A writable copy of the published study at {@code target}, for tests that edit or break it. */
  public static Path copyStudy(Path target) throws IOException {
    Path src = study();
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

  /** Deletes a folder of a test's own copy and everything in it, deepest first. */
  public static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
