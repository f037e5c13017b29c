package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Past its limit the explorer counts a part's lines on its bytes; the count must be what reading the
 * part line by line (as the explorer does before the limit) and skipping blank lines gives, with every
 * line ending, blank and white-space lines, no final line break and multi-byte text.
 */
class ExplorerLineCountTest {
  @TempDir Path tmp;

  @Test
  void countsTheLinesALineReaderCounts() throws Exception {
    String[] pieces = {"{\"a\":1}", "Қазақ", "עברית", "\u00e9", " ", "\t", "\f", "\u000b", "\n", "\r", "\r\n",
        "\n\n", "x", "{}", "\u2026"};
    Random random = new Random(5);
    for (int round = 0; round < 500; round++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(60); k > 0; k--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      long expected = 0;
      try (BufferedReader r = new BufferedReader(new StringReader(text.toString()))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          expected += line.isBlank() ? 0 : 1;
        }
      }
      Path part = tmp.resolve("part-" + round + ".jsonl");
      Files.writeString(part, text, StandardCharsets.UTF_8);
      assertEquals(expected, ExplorerData.nonBlankLines(part.toString()), text.toString());
    }
  }
}
