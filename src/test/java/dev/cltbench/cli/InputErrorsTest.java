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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors that point at the fix: the file, where in it, and what to change; one line, exit 2. On copies
 * of the fixture study and its pipeline file.
 */
class InputErrorsTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path studyCopy() throws IOException {
    Path study = tmp.resolve("study");
    StudyData.copyFixture(study);
    return study;
  }

  static void oneLineError(Result r) {
    assertEquals(Main.BAD_INPUT, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("jackson") || r.err().contains("\tat "), r.err());
  }

  Path pipelineWith(String from, String to) throws IOException {
    String json = Files.readString(StudyData.fixturePipeline(), StandardCharsets.UTF_8);
    assertTrue(json.contains(from), from);
    Path f = tmp.resolve("x.json");
    Files.writeString(f, json.replaceFirst(java.util.regex.Pattern.quote(from),
        java.util.regex.Matcher.quoteReplacement(to)), StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void anUnknownFieldNamesTheFilePathAndNearestField() throws IOException {
    Path f = pipelineWith("\"model_id\"", "\"modle_id\"");
    Map<String, String> before = FileHashes.of(tmp);
    Result r = main("report", "--pipeline=" + f, "--study=" + StudyData.fixture(), "--output=" + tmp.resolve("out"));
    oneLineError(r);
    assertEquals("error: " + f + ": models[0]: unknown field \"modle_id\" (did you mean \"model_id\"?)",
        r.err().strip());
    assertEquals(before, FileHashes.of(tmp), "nothing written");
  }

  /**
   * An option value Beam cannot read (its message, from Jackson, names neither the option nor what it
   * takes), and a subset option left empty by an unset shell variable, which once selected the whole
   * study: each one line naming the option, nothing written.
   */
  @Test
  void badOptionValuesNameTheOption() throws IOException {
    Map<String, String> before = FileHashes.of(tmp);
    String[][] cases = {
        {"--limit=abc", "error: --limit: 'abc' is not a whole number"},
        {"--languageId=maybe", "error: --languageId: 'maybe' is not true or false"},
        {"--models=", "error: --models is empty (an unset variable?); leave it out to take every model or condition"},
        {"--conditions=", "error: --conditions is empty (an unset variable?); leave it out to take every model or condition"},
        {"--questions=", "error: --questions is empty (an unset variable?); leave it out to take every question"}};
    for (String[] c : cases) {
      Result r = main("report", "--pipeline=" + StudyData.fixturePipeline(), "--study=" + StudyData.fixture(),
          "--output=" + tmp.resolve("out"), c[0]);
      oneLineError(r);
      assertEquals(c[1], r.err().strip(), c[0]);
    }
    assertEquals(before, FileHashes.of(tmp), "nothing written");
  }

  /** A criterion of one grade (every score its maximum, every percentage 0/0), and levels that do not match the grades. */
  @Test
  void aRubricCriterionNeedsTwoGradesAndALevelForEach() throws IOException {
    String json = Files.readString(StudyData.fixturePipeline(), StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"max\"\\s*:\\s*2").matcher(json);
    assertTrue(m.find(), "the fixture's first criterion has max 2");
    Path one = tmp.resolve("one.json");
    Files.writeString(one, json.substring(0, m.start()) + "\"max\": 0" + json.substring(m.end()), StandardCharsets.UTF_8);
    Result r = main("report", "--pipeline=" + one, "--study=" + StudyData.fixture(), "--output=" + tmp.resolve("out"));
    oneLineError(r);
    assertTrue(r.err().contains("rubric.criteria[0].max") && r.err().contains("must be above min 0"), r.err());
    Path three = tmp.resolve("three.json");
    Files.writeString(three, json.substring(0, m.start()) + "\"max\": 3" + json.substring(m.end()), StandardCharsets.UTF_8);
    r = main("report", "--pipeline=" + three, "--study=" + StudyData.fixture(), "--output=" + tmp.resolve("out"));
    oneLineError(r);
    assertTrue(r.err().contains("rubric.criteria[0].levels") && r.err().contains("for the 4 grades 0..3"), r.err());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void aWrongTypeSaysWhatWasExpected() throws IOException {
    Path f = pipelineWith("\"bootstrap_resamples\": 10000", "\"bootstrap_resamples\": \"many\"");
    Result r = main("report", "--pipeline=" + f, "--study=" + StudyData.fixture(), "--output=" + tmp.resolve("out"));
    oneLineError(r);
    assertTrue(r.err().contains(f + ": statistics.bootstrap_resamples: expected a number"), r.err());
  }

  @Test
  void invalidUtf8InAGradesFileNamesTheFileAndLine() throws IOException {
    Path study = studyCopy();
    Path grades = study.resolve("grades/C2_kazakh.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(grades, StandardCharsets.UTF_8));
    byte[] bad = {(byte) 0xC3, (byte) 0x28};
    Files.write(grades, (String.join("\n", lines.subList(0, 4)) + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(grades, bad, java.nio.file.StandardOpenOption.APPEND);
    Files.write(grades, ("\n" + String.join("\n", lines.subList(4, lines.size())) + "\n")
        .getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
    Map<String, String> before = FileHashes.of(tmp);
    Result r = main("report", "--pipeline=" + study.resolve("pipeline.json"), "--study=" + study,
        "--output=" + tmp.resolve("out"), "--languageId=false");
    oneLineError(r);
    assertTrue(r.err().contains("C2_kazakh.csv") && r.err().contains("line 5")
        && r.err().contains("invalid UTF-8"), r.err());
    assertEquals(before, FileHashes.of(tmp), "nothing written");
  }

  @Test
  void invalidUtf8InAResultsFileNamesTheFileAndLine() throws IOException {
    Path study = studyCopy();
    Path results = study.resolve("results/C1_english/kestrel_en.json");
    byte[] bytes = Files.readAllBytes(results);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf("\"response\"");
    int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    byte[] head = text.substring(0, at + "\"response\": \"".length()).getBytes(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\"response\": \"", at), "fixture layout");
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(head, 0, out, 0, head.length);
    out[head.length] = (byte) 0xFF;
    System.arraycopy(bytes, head.length, out, head.length + 1, bytes.length - head.length);
    Files.write(results, out);
    Result r = main("report", "--pipeline=" + study.resolve("pipeline.json"), "--study=" + study,
        "--output=" + tmp.resolve("out"), "--languageId=false");
    oneLineError(r);
    assertTrue(r.err().contains("kestrel_en.json") && r.err().contains("line " + line)
        && r.err().contains("invalid UTF-8"), r.err());
  }

  @Test
  void aByteOrderMarkAtTheStartOfCsvAndJsonIsAccepted() throws IOException {
    Path study = studyCopy();
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    for (String f : List.of("grades/C2_kazakh.csv", "results/C2_kazakh/kestrel_en.json", "benchmark/questions.json")) {
      Path p = study.resolve(f);
      byte[] b = Files.readAllBytes(p);
      byte[] withBom = new byte[b.length + 3];
      System.arraycopy(bom, 0, withBom, 0, 3);
      System.arraycopy(b, 0, withBom, 3, b.length);
      Files.write(p, withBom);
    }
    Path pipeline = tmp.resolve("p.json");
    byte[] b = Files.readAllBytes(StudyData.fixturePipeline());
    byte[] withBom = new byte[b.length + 3];
    System.arraycopy(bom, 0, withBom, 0, 3);
    System.arraycopy(b, 0, withBom, 3, b.length);
    Files.write(pipeline, withBom);
    Path out = tmp.resolve("out");
    Result r = main("report", "--pipeline=" + pipeline, "--study=" + study, "--output=" + out, "--languageId=false");
    assertEquals(0, r.code(), r.err());
    long responses = Files.readAllLines(out.resolve("tables/conditions.csv")).stream().skip(1)
        .mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
    assertEquals(StudyData.responses(StudyData.fixture()), responses, "every recorded response, BOMs and all");
  }

  @Test
  void anUnknownOptionIsOneLineAndVerboseShowsTheTrace() {
    Result r = main("report", "--noSuchOption=1", "--output=" + tmp.resolve("out"));
    oneLineError(r);
    assertTrue(r.err().contains("noSuchOption"), r.err());
    Result v = main("report", "--noSuchOption=1", "--verbose", "--output=" + tmp.resolve("out"));
    assertEquals(Main.BAD_INPUT, v.code());
    assertTrue(v.err().contains("\tat "), "--verbose shows the stack trace: " + v.err());
  }
}
