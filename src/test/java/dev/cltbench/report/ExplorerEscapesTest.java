package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The explorer's data escapes '<', '&' and '>' as it is written; the text must be what writing it
 * plainly and replacing them afterwards gave, in keys and values, beside quotes, backslashes, control
 * characters, Cyrillic, right-to-left text and surrogate pairs.
 */
class ExplorerEscapesTest {
  @Test
  void writtenEscapesEqualReplacingAfterwards() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String[] pieces = {"<", ">", "&", "</script>", "]]>", "&amp;", "\"", "\\", "\u0000", "\u001b", "\n", "Қазақ",
        "עברית", "😀", "\u2028", "plain", " ", "\\u003c"};
    Random random = new Random(3);
    for (int round = 0; round < 300; round++) {
      ObjectNode root = mapper.createObjectNode();
      for (int k = random.nextInt(6); k >= 0; k--) {
        StringBuilder key = new StringBuilder();
        StringBuilder value = new StringBuilder();
        for (int i = random.nextInt(5); i >= 0; i--) {
          key.append(pieces[random.nextInt(pieces.length)]);
          value.append(pieces[random.nextInt(pieces.length)]);
        }
        root.putArray("list").add(value.toString()).addObject().put(key.toString(), value.toString());
        root.put(key.toString(), value.toString());
      }
      String replaced = mapper.writeValueAsString(root).replace("<", "\\u003c").replace("&", "\\u0026")
          .replace(">", "\\u003e");
      String written = mapper.writer().with(ExplorerData.PageSafeEscapes.INSTANCE).writeValueAsString(root);
      assertEquals(replaced, written);
      assertFalse(written.contains("<") || written.contains(">") || written.contains("&"), written);
    }
  }
}
