package dev.cltbench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineDefinitionTest {
  @TempDir Path tmp;

  @Test
  void leftBehindDescribesThePublishedStudy() {
    PipelineDefinition def = PipelineDefinition.read(StudyData.leftBehindPipeline());
    assertEquals(8, def.models().size());
    assertEquals(5, def.conditions().size());
    assertEquals("C2", def.condition("C3").orElseThrow().compareWith());
    assertEquals("C4", def.condition("C5").orElseThrow().compareWith());
    assertEquals("bilingual", def.model("qwen3").orElseThrow().family());
    assertEquals("multilingual", def.model("aya_expanse").orElseThrow().family());
    assertEquals(6, def.rubric().criteria().stream().mapToInt(PipelineDefinition.Criterion::max).sum());
  }

  private String broken(String from, String to) throws Exception {
    String json = Files.readString(StudyData.leftBehindPipeline(), StandardCharsets.UTF_8);
    assertTrue(json.contains(from), from);
    Path f = tmp.resolve("p.json");
    Files.writeString(f, json.replaceFirst(java.util.regex.Pattern.quote(from),
        java.util.regex.Matcher.quoteReplacement(to)), StandardCharsets.UTF_8);
    return assertThrows(StudyInputException.class, () -> PipelineDefinition.read(f)).getMessage();
  }

  @Test
  void unknownFamilyNamesTheModelField() throws Exception {
    String m = broken("\"family\": \"bilingual\"", "\"family\": \"trilingual\"");
    assertTrue(m.contains("models[5].family") && m.contains("trilingual"), m);
  }

  @Test
  void conditionWithMissingLanguageIsRejected() throws Exception {
    String m = broken("\"language\": \"mongolian\"", "\"language\": \"buryat\"");
    assertTrue(m.contains("conditions[3].language") && m.contains("buryat"), m);
  }

  @Test
  void transferMustCompareWithADirectCondition() throws Exception {
    String m = broken("\"compare_with\": \"C2\"", "\"compare_with\": \"C5\"");
    assertTrue(m.contains("conditions[2].compare_with"), m);
  }

  @Test
  void unknownPropertyIsAnErrorNotIgnored() throws Exception {
    String m = broken("\"max_tokens\": 2048", "\"max_tokenz\": 2048");
    assertTrue(m.contains("max_tokenz"), m);
  }

  @Test
  void malformedJsonNamesTheFile() throws Exception {
    Path f = tmp.resolve("bad.json");
    Files.writeString(f, "{\"name\": ");
    String m = assertThrows(StudyInputException.class, () -> PipelineDefinition.read(f)).getMessage();
    assertTrue(m.startsWith(f.toString()), m);
  }

  @Test
  void criterionNamesAreColumnsSoTheyMustBeUniqueAndFree() throws Exception {
    String dup = broken("\"name\": \"completeness\"", "\"name\": \"fluency\"");
    assertTrue(dup.contains("rubric.criteria[2].name") && dup.contains("duplicates criterion fluency"), dup);
    String reserved = broken("\"name\": \"completeness\"", "\"name\": \"total\"");
    assertTrue(reserved.contains("rubric.criteria[2].name") && reserved.contains("total"), reserved);
    String column = broken("\"name\": \"completeness\"", "\"name\": \"Complete ness\"");
    assertTrue(column.contains("rubric.criteria[2].name"), column);
  }
}
