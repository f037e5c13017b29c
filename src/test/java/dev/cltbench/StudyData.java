package dev.cltbench;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
