package dev.cltbench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.StudyData;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class FinalAnswerExtractorTest {
  private final FinalAnswerExtractor extractor =
      PipelineDefinition.read(StudyData.leftBehindPipeline()).finalAnswerExtractor();

  @Test
  void markerWithNumberBeforeStepWord() {
    String r = "1. Қадам: аудару\nWhat?\n2. Қадам: жауап\nAnswer.\n3. Қадам: Қазақ тіліне\nЖауап осы.";
    assertEquals(": Қазақ тіліне\nЖауап осы.", extractor.extract(r));
  }

  @Test
  void markerWithStepWordBeforeNumberAndHashes() {
    String r = "## Алхам 1\nq\n## Алхам 2\na\n### Алхам 3: Орчуулга\nМонгол хариулт";
    assertEquals(": Орчуулга\nМонгол хариулт", extractor.extract(r));
  }

  @Test
  void headingIsCaseInsensitiveAndMatchesPrefixes() {
    String r = "Step one text\nFINAL ANSWERS:\nСоңғы жауап";
    assertEquals("S:\nСоңғы жауап", extractor.extract(r));
  }

  @Test
  void withoutMarkerLongResponseKeepsLastThirdOfLines() {
    String r = "a\nb\nc\nd\ne\nf\ng";
    assertEquals(FinalAnswerExtractor.Rule.LAST_THIRD, extractor.extraction(r).rule());
    assertEquals("f\ng", extractor.extract(r));
  }

  @Test
  void withoutMarkerShortResponseIsWhole() {
    assertEquals("one\ntwo", extractor.extract("  one\ntwo \n"));
  }

  @Test
  void markerMustStartTheLine() {
    assertEquals(FinalAnswerExtractor.Rule.WHOLE, extractor.extraction("See step 3 below").rule());
    assertEquals(FinalAnswerExtractor.Rule.MARKER, extractor.extraction("   # 3-step translate").rule());
  }

  /**
   * The marker search tries the pattern at line starts only: it must find what the pattern's own
   * {@code find()} (MULTILINE '^') finds, on every published response and on generated texts mixing
   * every line terminator Java knows, markers, hashes, spaces and plain words.
   */
  @Test
  void lineStartSearchFindsWhatFindFinds() throws Exception {
    List<String> texts = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper();
    try (var files = Files.walk(StudyData.study().resolve("results"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        for (JsonNode r : mapper.readTree(f.toFile()).get("responses")) {
          texts.add(r.get("response").asText());
        }
      }
    }
    String[] pieces = {"\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", " ", "\t", "#", "## ", "3", "3.", "3-",
        "Қадам", "қадам 3", "Алхам", "Step", "step 3", "FINAL ANSWER", "Соңғы жауап", "text", ":", "\n\n"};
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(12); k >= 0; k--) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      texts.add(b.toString());
    }
    int markers = 0;
    for (String text : texts) {
      java.util.regex.Matcher m = extractor.pattern().matcher(text);
      boolean found = m.find();
      FinalAnswerExtractor.Extraction e = extractor.extraction(text);
      assertEquals(found, e.rule() == FinalAnswerExtractor.Rule.MARKER, text);
      if (found) {
        markers++;
        assertEquals(text.substring(m.end()).strip(), e.text(), text);
      }
    }
    assertTrue(markers > 1_000, markers + " texts with a marker");
  }

  @Test
  void spacesAreTheJdksForEveryChar() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      char ch = (char) c;
      assertEquals(Character.isWhitespace(ch) || Character.isSpaceChar(ch), FinalAnswerExtractor.isSpace(ch),
          String.format("U+%04X", c));
    }
  }

  @Test
  void wordsCountUnicodeSpaces() {
    assertEquals(3, FinalAnswerExtractor.countWords(" a\u00a0b\n\tc  "));
    assertEquals(0, FinalAnswerExtractor.countWords(" \n "));
  }

  /**
   * The study's grades record the word count of the text the judge evaluated: the whole response for
   * direct conditions, the extracted final answer for transfer ones. All 2,000 must agree.
   */
  @Test
  void reproducesRecordedResponseLengthForAllPublishedResponses() throws Exception {
    Path study = StudyData.study();
    Map<String, Integer> recorded = new HashMap<>();
    try (var dirs = Files.list(study.resolve("grades"))) {
      for (Path csv : (Iterable<Path>) dirs::iterator) {
        String cond = csv.getFileName().toString().replace(".csv", "");
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
          for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
              .build().parse(reader)) {
            recorded.put(cond + "/" + r.get("model") + "/" + r.get("question_id"),
                Integer.parseInt(r.get("response_length")));
          }
        }
      }
    }
    ObjectMapper mapper = new ObjectMapper();
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    try (var conds = Files.list(study.resolve("results"))) {
      for (Path dir : (Iterable<Path>) conds::iterator) {
        boolean transfer = dir.getFileName().toString().endsWith("_transfer");
        try (var files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            JsonNode root = mapper.readTree(f.toFile());
            for (JsonNode r : root.get("responses")) {
              String text = r.get("response").asText();
              String graded = transfer ? extractor.extract(text) : text;
              String key = dir.getFileName() + "/" + root.get("model").asText() + "/"
                  + r.get("question_id").asInt();
              int words = FinalAnswerExtractor.countWords(graded);
              if (!recorded.containsKey(key) || recorded.get(key) != words) {
                mismatches.add(key + " ours=" + words + " recorded=" + recorded.get(key));
              }
              checked++;
            }
          }
        }
      }
    }
    assertEquals(2000, checked);
    assertEquals(List.of(), mismatches);
  }
}
