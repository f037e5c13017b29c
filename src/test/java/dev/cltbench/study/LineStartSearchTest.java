package dev.cltbench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The line-start search against the JDK's own {@code find(from)} and {@code find()} loop, for patterns
 * shaped as the markers' (MULTILINE '^', alternatives, a lookahead, a lazy run to a heading), on
 * generated texts holding every line terminator Java knows, from every start position.
 */
class LineStartSearchTest {
  private static final int FLAGS = Pattern.MULTILINE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final List<Pattern> PATTERNS = List.of(
      Pattern.compile("^[ \\t]*(?:#{1,3}[ \\t]*)?(?:3[-.:]?[ \\t]*(?:step|қадам)|(?:step|қадам)[ \\t]*3|final answer)", FLAGS),
      Pattern.compile("^[ \\t*_#>]*(?:2(?![0-9])(?:[-.:)]|[ \\t]*(?:step|алхам))|(?:step|алхам)[ \\t]*2(?![0-9]))", FLAGS),
      Pattern.compile("^[ \\t*_#>]*(?:3[.):][^\\n]*?(?:answer|жауап)|answer)", FLAGS));

  @Test
  void findsWhatFindFinds() {
    String[] pieces = {"\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", " ", "\t", "#", "## ", "> ", "*", "2", "3",
        "3.", "2-", "23", "step", "Step 2", "қадам 3", "Алхам", "answer", "Жауап", "x", ":", "\n\n"};
    Random random = new Random(19);
    int found = 0;
    for (int round = 0; round < 20_000; round++) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(14); k >= 0; k--) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = b.toString();
      Pattern p = PATTERNS.get(random.nextInt(PATTERNS.size()));
      for (int from = 0; from <= text.length(); from++) {
        Matcher jdk = p.matcher(text);
        Matcher ours = p.matcher(text);
        boolean expected = jdk.find(from);
        assertEquals(expected, LineStartSearch.find(ours, text, from), text + " from " + from);
        if (expected) {
          found++;
          assertEquals(jdk.start(), ours.start(), text + " from " + from);
          assertEquals(jdk.end(), ours.end(), text + " from " + from);
        }
      }
      // The last match, as a find() loop gives it.
      Matcher jdk = p.matcher(text);
      int last = -1;
      while (jdk.find()) {
        last = jdk.end();
      }
      Matcher ours = p.matcher(text);
      int end = -1;
      while (LineStartSearch.find(ours, text, Math.max(end, 0))) {
        end = ours.end();
      }
      assertEquals(last, end, text);
    }
    assertTrue(found > 10_000, found + " matches");
  }
}
