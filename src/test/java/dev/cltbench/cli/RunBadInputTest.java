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
