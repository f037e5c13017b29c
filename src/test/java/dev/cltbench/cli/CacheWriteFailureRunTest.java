package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.study.PipelineDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A response cache that stops taking answers during a run (here: every shard directory it would make
 * is taken by a file, which fails even for root, as a full disk would). The answers were paid for:
 * every tuple is graded from them and written to the output, none fails for the cache's sake (once all
 * 280 quickstart tuples failed so, after their calls), and nothing is in the cache afterwards.
 */
class CacheWriteFailureRunTest {
  @TempDir Path tmp;

  @Test
  void answersThatCannotBeCachedAreKept() throws Exception {
    Path cache = tmp.resolve("cache");
    Files.createDirectories(cache);
    for (int i = 0; i < 256; i++) {
      Files.writeString(cache.resolve(HexFormat.of().toHexDigits((byte) i)), "taken");
    }
    CliRun run = CliRun.of("run", "--output=" + tmp.resolve("out"), "--cache=" + cache, "--progressSeconds=0");
    assertEquals(0, run.exit(), run::toString);
    PipelineDefinition def = PipelineDefinition.read(Path.of("pipelines/quickstart.json"));
    int tuples = def.conditions().size() * def.models().size() * 10;
    assertTrue(run.out().contains("tuples: " + tuples + " in = " + tuples + " graded + 0 failed"), run::toString);
    assertEquals("", Files.readString(tmp.resolve("out/failures.jsonl")), "no tuple failed");
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(256, s.filter(Files::isRegularFile).count(), "only the files that were there");
    }
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(256, s.count(), "nothing cached");
    }
  }
}
