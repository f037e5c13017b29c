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
 * The fixture study with one model's three first answers missing in C2 and the other model's C3 missing
 * whole: an error naming both cells, unless --allowIncomplete, which reports on what is there and says so.
 */
class IncompleteStudyTest {
  @TempDir Path tmp;
  Path study;
  /** Questions of the benchmark, and the first questions dropped from argali_multi's C2. */
  int questions;
  static final int DROPPED = 3;

  @BeforeEach
  void incompleteCopy() throws IOException {
    study = tmp.resolve("study");
    StudyData.copyFixture(study);
    questions = StudyFiles.JSON.readTree(study.resolve("benchmark/questions.json").toFile()).size();
    Path argali = study.resolve("results/C2_kazakh/argali_multi.json");
    ObjectNode root = (ObjectNode) StudyFiles.JSON.readTree(argali.toFile());
    ArrayNode kept = StudyFiles.JSON.createArrayNode();
    root.get("responses").forEach(r -> {
      if (r.get("question_id").asInt() > DROPPED) {
        kept.add(r);
      }
    });
    root.set("responses", kept);
    Files.writeString(argali, StudyFiles.JSON.writeValueAsString(root), StandardCharsets.UTF_8);
    dropGrades("grades/C2_kazakh.csv", (model, q) -> model.equals("argali_multi") && q <= DROPPED);
    Files.delete(study.resolve("results/C3_kazakh_transfer/kestrel_en.json"));
    dropGrades("grades/C3_kazakh_transfer.csv", (model, q) -> model.equals("kestrel_en"));
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
    InputErrorsTest.Result r = InputErrorsTest.main("report", "--pipeline=" + study.resolve("pipeline.json"),
        "--study=" + study, "--output=" + tmp.resolve("out"));
    InputErrorsTest.oneLineError(r);
    assertTrue(r.err().contains("incomplete study (2 model x condition cells)")
        && r.err().contains("C2 x argali_multi: " + (questions - DROPPED) + " of " + questions + " questions")
        && r.err().contains("C3 x kestrel_en: no results file")
        && r.err().contains("--allowIncomplete"), r.err());
    assertEquals(before, FileHashes.of(tmp), "nothing written");
  }

  @Test
  void allowIncompleteReportsWhatIsThereAndSaysWhatIsMissing() throws IOException {
    Path out = tmp.resolve("out");
    InputErrorsTest.Result r = InputErrorsTest.main("report", "--pipeline=" + study.resolve("pipeline.json"),
        "--study=" + study, "--output=" + out,
        "--allowIncomplete", "--languageId=false");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("condition,model,responses,expected,results_file",
        "C2,argali_multi," + (questions - DROPPED) + "," + questions + ",present",
        "C3,kestrel_en,0," + questions + ",missing"), Files.readAllLines(out.resolve("tables/incomplete.csv")));
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.indexOf("INCOMPLETE: 2 model x condition cells") > 0
        && html.indexOf("INCOMPLETE") < html.indexOf("id=\"summary\""), "on the first screen");
    // argali_multi's C3 vs C2 pairs only the questions answered under both conditions.
    List<String> sig = Files.readAllLines(out.resolve("tables/significance.csv"));
    String argali = sig.stream().filter(l -> l.startsWith("model:argali_multi,C3,C2,")).findFirst().orElseThrow();
    assertTrue(argali.startsWith("model:argali_multi,C3,C2," + (questions - DROPPED) + ","), argali);
    // kestrel_en has no C3 at all: no comparison rather than one on nothing.
    assertTrue(sig.stream().noneMatch(l -> l.startsWith("model:kestrel_en,C3,")), String.join("\n", sig));
    long conditionsC3 = Files.readAllLines(out.resolve("tables/conditions.csv")).stream()
        .filter(l -> l.startsWith("C3,")).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
    assertEquals(questions, conditionsC3, "C3 has only argali_multi's answers, one a question");
  }
}
