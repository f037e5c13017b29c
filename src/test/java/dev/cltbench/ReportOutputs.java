package dev.cltbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A report directory's outputs as bytes by relative path, for tests that compare two runs of it. */
public final class ReportOutputs {
  private ReportOutputs() {}

  /** tables/* and responses.jsonl. */
  public static Map<String, byte[]> tablesAndResponses(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir.resolve("tables"))) {
      for (Path p : s.toList()) {
        files.put("tables/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    files.put("responses.jsonl", Files.readAllBytes(dir.resolve("responses.jsonl")));
    return files;
  }
}
