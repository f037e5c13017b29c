package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.StudyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The hand-written scans of {@link Segments} against the JDK definitions they stand in for. */
class SegmentsTest {
  @Test
  void lowerCaseIsTheJdksForEveryChar() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      assertEquals(Character.toLowerCase((char) c), Segments.lowerCase((char) c), String.format("U+%04X", c));
    }
  }

  @Test
  void isLetterIsTheJdksForEveryChar() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      assertEquals(Character.isLetter((char) c), Segments.isLetter((char) c), String.format("U+%04X", c));
    }
  }

  @Test
  void scriptIsTheJdksForEveryLetter() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      if (Character.isLetter((char) c)) {
        assertEquals(Character.UnicodeScript.of(c), Segments.script((char) c), String.format("U+%04X", c));
      }
    }
  }

  /** The regular-expression definition of the sentences (line breaks, then . ! ? 。 and white space). */
  private static List<String> sentencesByRegex(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\\R")) {
      for (String s : line.split("(?<=[.!?。])\\s+")) {
        if (!s.strip().isEmpty()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  @Test
  void sentencesAndWordsMatchTheirDefinitionsOnEveryPublishedResponse() throws IOException {
    ObjectMapper json = new ObjectMapper();
    int texts = 0;
    try (Stream<Path> files = Files.walk(StudyData.study().resolve("results"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (JsonNode r : json.readTree(f.toFile()).get("responses")) {
          String text = r.get("response").asText();
          assertEquals(sentencesByRegex(text), Segments.sentences(text), f + " " + r.get("question_id"));
          List<String> words = new ArrayList<>();
          for (String w : text.split("[^\\p{L}]+")) {
            if (!w.isEmpty()) {
              words.add(w.toLowerCase(java.util.Locale.ROOT));
            }
          }
          assertEquals(words, Segments.words(text), f + " " + r.get("question_id"));
          texts++;
        }
      }
    }
    assertEquals(2000, texts);
    for (String edge : List.of("  A. B\r\n\nc!\u00a0 \u2028d", " \n\t", "x.", "a.\u000bb? c。 d!!  e", "")) {
      assertEquals(sentencesByRegex(edge), Segments.sentences(edge), edge);
    }
    assertEquals(List.of("A.", "B", "c"), Segments.sentences("  A. B\r\n\nc"));
  }
}
