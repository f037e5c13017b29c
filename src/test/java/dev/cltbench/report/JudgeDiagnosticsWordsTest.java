package dev.cltbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge diagnostics read each response's key and word count from responses.jsonl with a
 * streaming parser; a Jackson tree of each line (what it replaced) must give the same map, whatever
 * the lines hold: texts with braces, quotes, escapes and right-to-left script, nested objects and
 * arrays before and after the key's fields, numbers written as strings, no epoch, no words.
 */
class JudgeDiagnosticsWordsTest {
  @TempDir Path tmp;

  @Test
  void theStreamingReadEqualsATreeOfEachLine() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Random random = new Random(20261207);
    String[] texts = {"", "plain", "{\"not\": [\"json\"]}", "quote \" and \\\\ backslash", "<b>&amp;</b>",
        "Қазақ тілі", "עברית والعربية", "line\nbreak\ttab\u0000nul", "}]}"};
    List<Path> files = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        ObjectNode o = mapper.createObjectNode();
        if (random.nextBoolean()) {
          o.putObject("language").put("answer", texts[random.nextInt(texts.length)]).putArray("x").add(1).addObject();
        }
        o.put("condition", "C" + random.nextInt(5));
        if (random.nextBoolean()) {
          o.put("model", texts[random.nextInt(texts.length)] + i);
        } else {
          o.put("model", "m" + i % 7);
        }
        o.put("response", texts[random.nextInt(texts.length)]);
        if (random.nextInt(4) == 0) {
          o.put("question_id", Integer.toString(i)); // a number written as a string
        } else {
          o.put("question_id", i);
        }
        if (random.nextBoolean()) {
          o.put("epoch", random.nextInt(3));
        }
        switch (random.nextInt(4)) {
          case 0 -> { } // no words
          case 1 -> o.put("words", random.nextInt(500));
          case 2 -> o.put("words", random.nextDouble() * 100);
          default -> o.putNull("words");
        }
        o.putArray("steps").addObject().put("text", texts[random.nextInt(texts.length)]);
        sb.append(mapper.writeValueAsString(o)).append('\n');
      }
      Path file = tmp.resolve("part-" + f + ".jsonl");
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
      files.add(file);
    }
    Map<ResponseKey, Double> byTree = new HashMap<>();
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode n = mapper.readTree(line);
        byTree.put(ResponseKey.of(n), n.path("words").asDouble());
      }
    }
    Map<ResponseKey, Double> streamed = JudgeDiagnosticsReport.words(files.stream().map(Path::toString).toList());
    assertEquals(byTree.size(), streamed.size());
    assertEquals(byTree, streamed);
  }
}
