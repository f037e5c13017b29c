package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.StudyData;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study with one model's ten first answers missing in C2 and another model's C3 missing whole:
 * an error naming both cells, unless --allowIncomplete, which reports on what is there and says so.
 */
class IncompleteStudyTest {
  @TempDir Path tmp;
  Path study;

  @BeforeEach
  void incompleteCopy() throws IOException {
    study = tmp.resolve("study");
    StudyData.copyStudy(study);
    Path qwen = study.resolve("results/C2_kazakh/qwen3.json");
    ObjectNode root = (ObjectNode) StudyFiles.JSON.readTree(qwen.toFile());
    ArrayNode kept = StudyFiles.JSON.createArrayNode();
    root.get("responses").forEach(r -> {
      if (r.get("question_id").asInt() > 10) {
        kept.add(r);
      }
    });
    root.set("responses", kept);
    Files.writeString(qwen, StudyFiles.JSON.writeValueAsString(root), StandardCharsets.UTF_8);
    dropGrades("grades/C2_kazakh.csv", (model, q) -> model.equals("qwen3") && q <= 10);
    Files.delete(study.resolve("results/C3_kazakh_transfer/aya_expanse.json"));
    dropGrades("grades/C3_kazakh_transfer.csv", (model, q) -> model.equals("aya_expanse"));
  }

  void dropGrades(String file, BiPredicate<String, Integer> drop) throws IOException {
    Path f = study.resolve(file);
    CSVFormat in = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
    StringWriter w = new StringWriter();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8);
        var parser = in.parse(r);
        CSVPrinter p = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build().print(w)) {
      p.printRecord(parser.getHeaderNames());
      for (CSVRecord row : parser) {
        if (!drop.test(row.get("model"), Integer.parseInt(row.get("question_id")))) {
          p.printRecord(row.toList());
        }
      }
    }
    Files.writeString(f, w.toString(), StandardCharsets.UTF_8);
  }

  @Test
  void anIncompleteStudyIsAnErrorNamingItsCells() throws IOException {
    Map<String, String> before = FileHashes.of(tmp);
    InputErrorsTest.Result r = InputErrorsTest.main("report", "--study=" + study, "--output=" + tmp.resolve("out"));
    InputErrorsTest.oneLineError(r);
    assertTrue(r.err().contains("incomplete study (2 model x condition cells)")
        && r.err().contains("C2 x qwen3: 40 of 50 questions")
        && r.err().contains("C3 x aya_expanse: no results file")
        && r.err().contains("--allowIncomplete"), r.err());
    assertEquals(before, FileHashes.of(tmp), "nothing written");
  }

  @Test
  void allowIncompleteReportsWhatIsThereAndSaysWhatIsMissing() throws IOException {
    Path out = tmp.resolve("out");
    InputErrorsTest.Result r = InputErrorsTest.main("report", "--study=" + study, "--output=" + out,
        "--allowIncomplete", "--languageId=false");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("condition,model,responses,expected,results_file", "C2,qwen3,40,50,present",
        "C3,aya_expanse,0,50,missing"), Files.readAllLines(out.resolve("tables/incomplete.csv")));
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.indexOf("INCOMPLETE: 2 model x condition cells") > 0
        && html.indexOf("INCOMPLETE") < html.indexOf("id=\"summary\""), "on the first screen");
    // qwen3's C3 vs C2 pairs only the 40 questions answered under both conditions.
    List<String> sig = Files.readAllLines(out.resolve("tables/significance.csv"));
    String qwen = sig.stream().filter(l -> l.startsWith("model:qwen3,C3,C2,")).findFirst().orElseThrow();
    assertTrue(qwen.startsWith("model:qwen3,C3,C2,40,"), qwen);
    // aya_expanse has no C3 at all: no comparison rather than one on nothing.
    assertTrue(sig.stream().noneMatch(l -> l.startsWith("model:aya_expanse,C3,")), String.join("\n", sig));
    long conditionsC3 = Files.readAllLines(out.resolve("tables/conditions.csv")).stream()
        .filter(l -> l.startsWith("C3,")).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
    assertEquals(350, conditionsC3, "C3 has 7 models' answers");
  }
}
