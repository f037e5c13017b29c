package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.StudyInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to run: each a clear error before any work (no call, no output). */
class RunBadInputTest {
  @TempDir Path tmp;

  int run(String... args) throws Exception {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    return new RunCommand().run(args, sink, sink, name -> null);
  }

  @Test
  void allMissingKeysAreListedBeforeAnyCall() {
    Path out = tmp.resolve("out");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(
        "--pipeline=pipelines/left-behind.json",
        "--benchmark=" + dev.cltbench.StudyData.fixture().resolve("benchmark/questions.json"),
        "--output=" + out, "--cache=", "--progressSeconds=0"));
    for (String key : new String[] {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "XAI_API_KEY", "HF_TOKEN"}) {
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
    assertTrue(e.getMessage().contains("nothing was called"));
    assertFalse(Files.exists(out));
  }

  /**
   * A cache that cannot be written once let every call be made and paid for, then failed each tuple
   * when its answer could not be kept (all 280 of the quickstart); a --lengthsFrom that is not a study
   * gave a dry run with no word. Both now stop before anything, naming the option.
   */
  @Test
  void aCacheThatCannotBeWrittenOrNoStudyForLengthsStopsBeforeAnyCall() throws Exception {
    Path file = tmp.resolve("cache.txt");
    Files.writeString(file, "not a directory");
    Path out = tmp.resolve("out");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("--pipeline=pipelines/quickstart.json", "--output=" + out, "--cache=" + file, "--progressSeconds=0"));
    assertEquals("--cache=" + file + " is a file, not a directory", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--pipeline=pipelines/quickstart.json",
        "--output=" + out, "--cache=" + file.resolve("below"), "--progressSeconds=0"));
    assertTrue(e.getMessage().contains("cannot be made (" + file + " is not a directory)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--pipeline=pipelines/quickstart.json",
        "--output=" + out, "--cache=", "--dryRun", "--lengthsFrom=" + tmp.resolve("no-study")));
    assertEquals("--lengthsFrom=" + tmp.resolve("no-study") + ": no study directory there", e.getMessage());
    assertFalse(Files.exists(out));
    assertEquals("not a directory", Files.readString(file));
  }

  @Test
  void unknownProviderIsNamed() throws Exception {
    Path p = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"),
        root -> ((ObjectNode) root.get("models").get(2)).put("provider", "mistral-direct"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("--pipeline=" + p, "--output=" + tmp.resolve("out"), "--cache="));
    assertTrue(e.getMessage().contains("emu-gemini") && e.getMessage().contains("mistral-direct")
        && e.getMessage().contains("anthropic"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void conditionInAMissingLanguageFailsNamingTheField() throws Exception {
    Path p = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"),
        root -> ((ObjectNode) root.get("conditions").get(1)).put("language", "kyrgyz"));
    StudyInputException e = assertThrows(StudyInputException.class,
        () -> run("--pipeline=" + p, "--output=" + tmp.resolve("out"), "--cache="));
    assertTrue(e.getMessage().contains("conditions[1].language") && e.getMessage().contains("kyrgyz"),
        e.getMessage());
  }

  @Test
  void emptyBenchmarkIsAnError() throws Exception {
    Path q = tmp.resolve("empty.json");
    Files.writeString(q, "[]");
    Exception e = assertThrows(Exception.class,
        () -> run("--benchmark=" + q, "--output=" + tmp.resolve("out"), "--cache="));
    assertTrue(e instanceof IllegalArgumentException || e instanceof StudyInputException, e.toString());
    assertTrue(e.getMessage().contains("empty.json") || e.getMessage().contains("no questions"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("out")));
    // Through the command line, bad input exits 2.
    assertEquals(Main.BAD_INPUT, CliRun.of("run", "--benchmark=" + q, "--output=" + tmp.resolve("out")).exit());
  }
}
