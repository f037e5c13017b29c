package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cltbench.StudyData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupts a temporary copy of the fixture study one way at a time and checks that report exits 2
 * with an error naming the file, the record and the field, and writes no output at all.
 */
class ReportBadInputTest {
  @TempDir Path tmp;
  Path study;
  Path output;

  @BeforeEach
  void copyStudy() throws IOException {
    study = tmp.resolve("study");
    output = tmp.resolve("out");
    StudyData.copyFixture(study);
  }

  void edit(String relative, String from, String to) throws IOException {
    Path f = study.resolve(relative);
    String s = Files.readString(f, StandardCharsets.UTF_8);
    assertTrue(s.contains(from), "fixture text not found: " + from);
    Files.writeString(f, s.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)),
        StandardCharsets.UTF_8);
  }

  String failingRun(String... more) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new java.util.ArrayList<>(List.of("report", "--pipeline=" + study.resolve("pipeline.json"),
        "--study=" + study, "--output=" + output));
    args.addAll(List.of(more));
    int code = Main.run(args.toArray(String[]::new),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(Main.BAD_INPUT, code, message);
    assertFalse(Files.exists(output), "no output on bad input");
    try (var list = Files.list(tmp)) {
      assertEquals(List.of("study"), list.map(p -> p.getFileName().toString()).toList(),
          "no staging directory left");
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
    return message;
  }

  /**
   * A cluster address where nothing listens: one line naming the address and how to start a cluster,
   * at once, instead of minutes of the REST client's retries with a stack trace each.
   */
  @Test
  void flinkMasterWhereNoClusterAnswers() throws IOException {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String m = failingRun("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + closed);
    assertEquals(1, m.strip().lines().count(), m);
    assertTrue(m.startsWith("error: --flinkMaster=127.0.0.1:" + closed + ": no Flink cluster answers there"), m);
    assertTrue(m.contains("scripts/flink-cluster.sh start"), m);
    String unknown = failingRun("--runner=FlinkRunner", "--flinkMaster=no-such-host.invalid:8081");
    assertTrue(unknown.contains("unknown host no-such-host.invalid"), unknown);
  }

  @Test
  void gradeOutOfRange() throws IOException {
    // Line 3: question 1's second model (line 1 is the header).
    edit("grades/C2_kazakh.csv", "\n1,factual,argali_multi,2,2,1,5,", "\n1,factual,argali_multi,3,2,1,6,");
    String m = failingRun();
    assertTrue(m.contains("C2_kazakh.csv") && m.contains("line 3") && m.contains("field accuracy")
        && m.contains("out of range 0..2"), m);
  }

  @Test
  void totalThatIsNotTheSum() throws IOException {
    edit("grades/C1_english.csv", "\n1,factual,argali_multi,2,2,1,5,", "\n1,factual,argali_multi,2,2,1,4,");
    String m = failingRun();
    assertTrue(m.contains("C1_english.csv") && m.contains("field total"), m);
  }

  @Test
  void responseWithoutGrade() throws IOException {
    Path f = study.resolve("grades/C4_mongolian.csv");
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    // Drop the last graded row (notes are single-line in this file's last row).
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("8,"), last);
    Files.write(f, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
    String m = failingRun();
    assertTrue(m.contains("C4_mongolian") && m.contains("no grade") && m.contains("00000008"), m);
  }

  @Test
  void responseToAnUnknownQuestion() throws IOException {
    edit("results/C1_english/argali_multi.json", "\"question_id\": 7,", "\"question_id\": 7000,");
    String m = failingRun();
    assertTrue(m.contains("argali_multi.json") && m.contains("field question_id") && m.contains("unknown question 7000"), m);
  }

  @Test
  void gradeWithoutResponse() throws IOException {
    Path f = study.resolve("results/C1_english/argali_multi.json");
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(f.toFile());
    var responses = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("responses");
    assertEquals(7, responses.get(6).get("question_id").asInt());
    responses.remove(6);
    mapper.writeValue(f.toFile(), root);
    // The cell is short of a question: named as such, and with --allowIncomplete the orphan grade is.
    String incomplete = failingRun();
    int questions = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(study.resolve("benchmark/questions.json").toFile()).size();
    assertTrue(incomplete.contains("C1 x argali_multi: " + (questions - 1) + " of " + questions + " questions"), incomplete);
    String m = failingRun("--allowIncomplete");
    assertTrue(m.contains("C1_english.csv") && m.contains("grade has no response") && m.contains("argali_multi 00000007"), m);
  }

  @Test
  void duplicateGradeRow() throws IOException {
    Path f = study.resolve("grades/C5_mongolian_transfer.csv");
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    String last = lines.get(lines.size() - 1);
    Files.writeString(f, String.join("\n", lines) + "\n" + last + "\n", StandardCharsets.UTF_8);
    String m = failingRun();
    assertTrue(m.contains("duplicate grade") && m.contains("C5_mongolian_transfer.csv"), m);
  }

  @Test
  void malformedResultsJson() throws IOException {
    Files.writeString(study.resolve("results/C3_kazakh_transfer/kestrel_en.json"), "{\"model\": \"kestrel_en\", ");
    String m = failingRun();
    assertTrue(m.contains("kestrel_en.json") && m.contains("malformed JSON"), m);
  }

  @Test
  void missingResponseField() throws IOException {
    edit("results/C2_kazakh/argali_multi.json", "\"response\":", "\"answer\":");
    String m = failingRun();
    assertTrue(m.contains("argali_multi.json") && m.contains("responses[0]") && m.contains("field response"), m);
  }

  @Test
  void unknownModelInGrades() throws IOException {
    edit("grades/C3_kazakh_transfer.csv", ",kestrel_en,", ",gpt_9,");
    String m = failingRun();
    assertTrue(m.contains("C3_kazakh_transfer.csv") && m.contains("field model") && m.contains("gpt_9"), m);
  }

  @Test
  void unknownConditionDirectory() throws IOException {
    Files.createDirectories(study.resolve("results/C6_buryat"));
    Files.copy(study.resolve("results/C1_english/argali_multi.json"), study.resolve("results/C6_buryat/argali_multi.json"));
    String m = failingRun();
    assertTrue(m.contains("unexpected results/C6_buryat/argali_multi.json"), m);
  }

  @Test
  void missingGradesFile() throws IOException {
    Files.delete(study.resolve("grades/C2_kazakh.csv"));
    String m = failingRun();
    assertTrue(m.contains("missing grades/C2_kazakh.csv"), m);
  }

  @Test
  void aStudyPathThatHoldsNoStudySaysSoInOneShortLine() throws IOException {
    StudyData.deleteRecursively(study.resolve("results"));
    StudyData.deleteRecursively(study.resolve("grades"));
    String m = failingRun();
    assertTrue(m.contains("not a study directory (or it does not exist)"), m);
    assertEquals(1, m.strip().lines().count(), m);
    assertTrue(m.length() < 300, "one short line, not every file the study should hold: " + m);
  }

  @Test
  void manyLayoutProblemsAreCountedAfterTheFirstFew() throws IOException {
    for (int i = 10; i < 20; i++) {
      Files.copy(study.resolve("grades/C1_english.csv"), study.resolve("grades/X" + i + ".csv"));
    }
    String m = failingRun();
    // Ten unknown grades files: the first 8 (in name order) named, the other 2 counted.
    assertTrue(m.contains("unexpected grades/X10.csv") && m.contains("unexpected grades/X17.csv")
        && m.contains("; and 2 more"), m);
    assertFalse(m.contains("X18.csv") || m.contains("X19.csv"), m);
  }

  @Test
  void earlierOutputSurvivesAFailedRun() throws IOException {
    Files.createDirectories(output);
    Files.writeString(output.resolve("marker.txt"), "earlier");
    // An earlier cltbench output (only those are ever replaced), listing the file it wrote.
    Files.writeString(output.resolve(dev.cltbench.output.OutputMarker.FILE_NAME), new dev.cltbench.output.OutputMarker(
        "report", "dev", "2026-12-01T00:00:00Z", List.of("marker.txt")).toJson());
    edit("grades/C2_kazakh.csv", "\n1,factual,argali_multi,2,2,1,5,", "\n1,factual,argali_multi,2,x,1,5,");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"report", "--pipeline=" + study.resolve("pipeline.json"), "--study=" + study,
        "--output=" + output},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(Main.BAD_INPUT, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("field fluency"));
    assertEquals("earlier", Files.readString(output.resolve("marker.txt")));
  }
}
