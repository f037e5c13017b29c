package dev.cltbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a provider would reject on every call is refused before any: one line naming the file, the
 * field and the model, exit 2, nothing written.
 */
class ModelSettingsBadInputTest {
  @TempDir Path tmp;

  /** models[i] of the quickstart (0 openai, 1 anthropic, 2 gemini, 3 cohere) with one field set. */
  Path edited(int model, Consumer<ObjectNode> edit) throws Exception {
    return StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"),
        root -> edit.accept((ObjectNode) root.get("models").get(model)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2|seed|3000000000|models[2].seed|emu-gemini",
      "3|seed|-1|models[3].seed|emu-cohere",
      "3|temperature|1.5|models[3].temperature|emu-cohere",
      "1|temperature|1.2|models[1].temperature|emu-anthropic",
      "0|reasoning_effort|huge|models[0].reasoning_effort|emu-openai",
      "2|reasoning_effort|low|models[2].reasoning_effort|emu-gemini",
      "0|thinking|2000|models[0].thinking|emu-openai",
      "1|thinking|100|models[1].thinking|emu-anthropic",
      "1|max_tokens_field|max_completion_tokens|models[1].max_tokens_field|emu-anthropic",
      "0|max_tokens_field|max_output_tokens|models[0].max_tokens_field|emu-openai",
      "2|api_version|2023-06-01|models[2].api_version|emu-gemini",
      "0|on_truncation|ignore|models[0].on_truncation|emu-openai",
      // a negative price would count money back in spend, budget and costs.csv
      "0|input_price_per_million|-2.5|models[0].input_price_per_million|emu-openai",
      "3|output_price_per_million|-1|models[3].output_price_per_million|emu-cohere",
  })
  void refusedBeforeAnyCall(int model, String field, String value, String named, String modelName) throws Exception {
    Path p = edited(model, m -> {
      if (value.matches("-?[0-9]+")) {
        m.put(field, Long.parseLong(value));
      } else if (value.matches("-?[0-9.]+")) {
        m.put(field, Double.parseDouble(value));
      } else {
        m.put(field, value);
      }
    });
    expectRefused(p, named, modelName);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // a temperature on a model that takes none
      "0|send_temperature|models[0].temperature|emu-openai",
      // OpenAI reasoning models take only the default temperature
      "0|reasoning_effort|models[0].temperature|emu-openai",
      // Anthropic takes no temperature with thinking on
      "1|thinking|models[1].temperature|emu-anthropic",
  })
  void temperatureWhereTheModelTakesNone(int model, String setting, String named, String modelName)
      throws Exception {
    Path p = edited(model, m -> {
      m.put("temperature", 0.3);
      switch (setting) {
        case "send_temperature" -> m.put("send_temperature", false);
        case "reasoning_effort" -> m.put("reasoning_effort", "low");
        default -> m.put("thinking", 1024).put("max_tokens", 4096);
      }
    });
    expectRefused(p, named, modelName);
  }

  @org.junit.jupiter.api.Test
  void epochsThatPushAGeminiSeedPastInt32AreRefused() throws Exception {
    Path p = edited(2, m -> m.put("seed", (long) Integer.MAX_VALUE - 1));
    Path out = tmp.resolve("out");
    CliRun ok = CliRun.of("run", "--pipeline=" + p, "--output=" + out, "--cache=", "--dryRun", "--epochs=2");
    assertEquals(0, ok.exit(), ok::toString);
    CliRun r = CliRun.of("run", "--pipeline=" + p, "--output=" + out, "--cache=", "--progressSeconds=0", "--epochs=3");
    assertEquals(Main.BAD_INPUT, r.exit(), r::toString);
    assertTrue(r.err().contains("emu-gemini") && r.err().contains("seed") && r.err().contains("--epochs=3"), r::toString);
    assertFalse(Files.exists(out), "nothing written");
  }

  @org.junit.jupiter.api.Test
  void reasoningAndStructuredSettingsAreChecked() throws Exception {
    expectRefused(edited(0, m -> m.put("reasoning", "tags")), "models[0].reasoning", "emu-openai");
    expectRefused(edited(0, m -> m.put("reasoning", "think-tags").putArray("reasoning_tags").add("<think>")),
        "models[0].reasoning_tags", "emu-openai");
    // tags only mean something with think-tags (the default of provider openai is none)
    expectRefused(edited(0, m -> m.putArray("reasoning_tags").add("<r>").add("</r>")), "models[0].reasoning_tags",
        "emu-openai");
    expectRefused(edited(1, m -> m.put("structured", true).put("thinking", 1024).put("max_tokens", 4096)),
        "models[1].structured", "emu-anthropic");
    Path prose = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"),
        root -> ((ObjectNode) root.get("emulator")).putObject("models").putObject("emu-judge-b").put("prose_rate", 1.5));
    expectRefused(prose, "emulator.models.emu-judge-b.prose_rate", "1.5");
    Path shape = StudyFiles.editedPipeline(Path.of("pipelines/quickstart.json"), tmp.resolve("p.json"),
        root -> ((ObjectNode) root.get("emulator")).putObject("models").putObject("emu-gemini").put("reasoning", "think-tags"));
    expectRefused(shape, "emulator.models.emu-gemini.reasoning", "gemini");
  }

  private void expectRefused(Path p, String field, String model) {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("run", "--pipeline=" + p, "--output=" + out, "--cache=", "--progressSeconds=0");
    assertEquals(Main.BAD_INPUT, r.exit(), r::toString);
    String line = r.err().strip();
    assertFalse(line.contains("\n"), "one line: " + line);
    assertTrue(line.contains(p.toString()) && line.contains(field) && line.contains(model), line);
    assertFalse(Files.exists(out), "nothing written");
  }
}
