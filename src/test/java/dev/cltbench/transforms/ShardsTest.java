package dev.cltbench.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shard keys: the same shard for the same key however it was made, and files spread by size. */
class ShardsTest {
  @TempDir
  Path dir;

  @Test
  void aKeysShardIsItsEncodingsNotItsObjects() {
    // Equal keys made apart (another String instance, another JVM's hashCode seed for objects) meet.
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      String key = "C" + (i % 5) + "|model-" + i + "|0000000" + (i % 7);
      int shard = Shards.shard(StringUtf8Coder.of(), key, 7);
      assertEquals(shard, Shards.shard(StringUtf8Coder.of(), new String(key.toCharArray()), 7));
      assertTrue(shard >= 0 && shard < 7, key + " -> " + shard);
      counts.merge(shard, 1, Integer::sum);
    }
    // 3,000 distinct keys over 7 shards: every shard used, none with more than twice its share.
    assertEquals(7, counts.size(), counts.toString());
    counts.values().forEach(n -> assertTrue(n < 2 * 3_000 / 7, counts.toString()));
  }

  @Test
  void theDirectRunnerGetsAShardPerThread() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setTargetParallelism(5);
    assertEquals(5, Shards.of(options));
  }

  /** Each file to the shard with the fewest bytes so far: no shard ends more than one file ahead. */
  @Test
  void filesAreSpreadBySize() {
    Random random = new Random(20261207);
    MatchFilesSpread.SpreadBySizeFn fn = new MatchFilesSpread.SpreadBySizeFn(3);
    fn.start();
    long[] totals = new long[3];
    long largest = 0;
    for (int i = 0; i < 40; i++) {
      long size = 1 + random.nextInt(i % 4 == 0 ? 12_000_000 : 2_000_000);
      largest = Math.max(largest, size);
      totals[fn.assign(size)] += size;
    }
    long max = Math.max(totals[0], Math.max(totals[1], totals[2]));
    long min = Math.min(totals[0], Math.min(totals[1], totals[2]));
    assertTrue(max - min <= largest, java.util.Arrays.toString(totals) + " largest " + largest);
  }

  /** Every file matched is opened exactly once, whatever its shard; none is an error. */
  @Test
  void everyFileIsReadOnce() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 23; i++) {
      String name = "part-" + i + ".txt";
      String text = "file " + i + " " + "x".repeat(i * 37);
      Files.writeString(dir.resolve(name), text);
      expected.put(name, text);
    }
    Files.writeString(dir.resolve("empty.txt"), "");
    expected.put("empty.txt", "");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PAssert.that(p.apply(new MatchFilesSpread("Files", dir.resolve("*.txt").toString()))
        .apply(MapElements.into(TypeDescriptors.strings()).via(f -> {
          try {
            return f.getMetadata().resourceId().getFilename() + "=" + f.readFullyAsUTF8String();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })))
        .containsInAnyOrder(expected.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    p.run().waitUntilFinish();
  }
}
