package dev.cltbench.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.clients.ModelCalls;
import dev.cltbench.clients.ModelClients;
import dev.cltbench.judge.JudgePrompt;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import dev.cltbench.study.StudyCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What a run needs to be reproduced, written as {@code manifest.json} into every output: the tool's
 * version and commit, the pipeline file (SHA-256 and full text), every prompt template and system
 * prompt, the rubric, per model the provider, base URL, model id and the parameters its requests
 * carry (built by the same wire protocol as the real requests, key headers left out), the runner and
 * the command's options, the benchmark's SHA-256, the language-identification model, cache hits,
 * start and end, and the counts. Keys are never in it: a model names its key's environment variable.
 */
public final class RunManifest {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root = MAPPER.createObjectNode();

  private RunManifest() {}

  /** The model entries' max_tokens when the file gives none (the run's clients use the same). */
  public static final int DEFAULT_MAX_TOKENS = PipelineDefinition.DEFAULT_MAX_TOKENS;

  /**
   * @param command run, grade or report
   * @param args the command's options as given (keys never are options)
   * @param emulatorUrl the address that served base_url {@code emulator}, or null
   */
  public static RunManifest of(String command, List<String> args, String runner, Path pipelineFile,
      PipelineDefinition definition, String benchmarkFile, String emulatorUrl, String subset) throws IOException {
    RunManifest m = new RunManifest();
    ObjectNode r = m.root;
    r.put("manifest_version", 1);
    ObjectNode tool = r.putObject("tool");
    tool.put("name", "cltbench");
    tool.put("version", artifactVersion("dev.cltbench", "cltbench"));
    tool.put("commit", gitCommit());
    tool.put("command", command);
    ArrayNode a = tool.putArray("options");
    args.forEach(a::add);
    tool.put("runner", runner);
    tool.put("java", System.getProperty("java.version"));
    ObjectNode pipeline = r.putObject("pipeline");
    if (pipelineFile != null && Files.isRegularFile(pipelineFile)) {
      byte[] bytes = Files.readAllBytes(pipelineFile);
      pipeline.put("file", pipelineFile.toString());
      pipeline.put("sha256", sha256(bytes));
      pipeline.put("text", new String(bytes, StandardCharsets.UTF_8));
    }
    pipeline.put("name", definition.name());
    pipeline.put("epochs", definition.epochsOrDefault());
    pipeline.put("subset", subset);
    if (benchmarkFile != null) {
      ObjectNode b = r.putObject("benchmark");
      b.put("file", benchmarkFile);
      if (StudyCodec.exists(benchmarkFile)) {
        b.put("sha256", sha256(StudyCodec.readBytes(benchmarkFile)));
      }
    }
    ObjectNode prompts = r.putObject("prompts");
    prompts.put("translate_template", definition.prompts() != null && definition.prompts().translate() != null
        ? definition.prompts().translate() : PipelineDefinition.Prompts.DEFAULT_TRANSLATE);
    PipelineDefinition.Scorer scorer = definition.scorerOrDefault();
    if (scorer.ruleBased()) {
      // No judge is asked: the rule and its criterion are what graded the answers, not a prompt.
      ObjectNode rule = r.putObject("scorer");
      rule.put("type", scorer.typeOrDefault());
      rule.put("criterion", scorer.criterionOrDefault());
    } else {
      JudgePrompt judge = new JudgePrompt(definition.rubric());
      prompts.put("judge_system", judge.system());
      prompts.put("judge_user_template", judge.user("{target_language}", "{question}", "{reference}", "{answer}"));
    }
    ObjectNode conditions = prompts.putObject("condition_system_prompts");
    for (PipelineDefinition.Condition c : definition.conditions()) {
      conditions.put(c.id(), c.systemPrompt());
    }
    r.set("rubric", MAPPER.valueToTree(definition.rubric()));
    ArrayNode models = r.putArray("models");
    for (ModelSpec s : definition.models()) {
      models.add(model(s, "model", emulatorUrl, definition.epochsOrDefault()));
    }
    for (ModelSpec s : definition.panel()) {
      ObjectNode judge = model(s, "judge", emulatorUrl, 1);
      if (!scorer.ruleBased()) {
        judged(judge, s, emulatorUrl, dev.cltbench.judge.RubricSchema.of(definition.rubric()));
      }
      models.add(judge);
    }
    ObjectNode langid = r.putObject("language_identification");
    langid.put("library", "opennlp-tools " + artifactVersion("org.apache.opennlp", "opennlp-tools"));
    langid.put("model", "opennlp-models-langdetect " + artifactVersion("org.apache.opennlp", "opennlp-models-langdetect")
        + " (langdetect-183.bin, cut to the nine candidate languages at build time)");
    return m;
  }

  /**
   * A judge's structured output: the mechanism its provider was asked with (or "none": free text, the
   * parser alone), and its request built with the verdict schema, as every judge call sends it.
   */
  private static void judged(ObjectNode o, ModelSpec s, String emulatorUrl, dev.cltbench.clients.ResponseSchema schema) {
    if (!s.structuredJudging()) {
      o.put("structured_output", "none (free text, parsed as one JSON object)");
      return;
    }
    try {
      o.put("structured_output", ModelClients.structuredMechanism(s));
      boolean emulated = PipelineDefinition.EMULATOR_URL.equals(s.baseUrl());
      int maxTokens = s.maxTokens() == null ? DEFAULT_MAX_TOKENS : s.maxTokens();
      o.set("request", ModelClients.requestParameters(s, emulated ? emulatorUrl : s.baseUrl(), maxTokens, schema));
    } catch (IllegalArgumentException e) {
      o.put("request", "not built: " + e.getMessage());
    }
  }

  private static ObjectNode model(ModelSpec s, String role, String emulatorUrl, int epochs) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", s.name());
    o.put("role", role);
    o.put("provider", s.provider());
    boolean emulated = PipelineDefinition.EMULATOR_URL.equals(s.baseUrl());
    String base = emulated ? emulatorUrl : s.baseUrl();
    o.put("base_url", s.baseUrl() == null ? null : emulated ? "emulator (" + emulatorUrl + ")" : s.baseUrl());
    o.put("model_id_requested", s.modelId());
    o.put("api_key_env", s.apiKeyEnv());
    // Whether answers cut at max_tokens were graded: it changes what the scores mean.
    o.put("on_truncation", s.gradesTruncated() ? "grade" : "fail");
    // Where the reasoning trace was taken from, apart from the answer (never graded).
    o.put("reasoning", s.reasoningMode());
    if (PipelineDefinition.ModelSpec.THINK_TAGS.equals(s.reasoningMode())) {
      s.reasoningTagsOrDefault().forEach(o.putArray("reasoning_tags")::add);
    }
    if (s.batched()) {
      // Called through the provider's batch API, billed at this share of the prices.
      o.put("batch", true);
      o.put("batch_price_factor", s.priceFactor());
    }
    int maxTokens = s.maxTokens() == null ? DEFAULT_MAX_TOKENS : s.maxTokens();
    try {
      ObjectNode sent = ModelClients.requestParameters(s, base, maxTokens);
      o.set("request", sent);
      if (epochs > 1) {
        // Later epochs differ only in their seed (where the provider takes one).
        ArrayNode seeds = o.putArray("epoch_requests");
        for (int e = 1; e < epochs; e++) {
          seeds.add(ModelClients.requestParameters(ModelCalls.forEpoch(s, e), base, maxTokens).get("body"));
        }
      }
    } catch (IllegalArgumentException e) {
      o.put("request", "not built: " + e.getMessage());
    }
    return o;
  }

  /** Start and end, cache use and the counts line. */
  public RunManifest withRun(Instant started, Instant ended, String cache, long callsMade, long cacheHits,
      long tuplesIn, long graded, long failed) {
    ObjectNode run = root.putObject("run");
    run.put("started", started.toString());
    run.put("ended", ended.toString());
    run.put("cache", cache);
    run.put("calls_made", callsMade);
    run.put("cache_hits", cacheHits);
    ObjectNode counts = run.putObject("counts");
    counts.put("tuples_in", tuplesIn);
    counts.put("graded", graded);
    counts.put("failed", failed);
    counts.put("line", tuplesIn + " in = " + graded + " graded + " + failed + " failed");
    return this;
  }

  /** The manifest of the study a report read (its run's), or a note that it has none. */
  public RunManifest withStudyManifest(JsonNode study) {
    if (study == null) {
      root.put("study_manifest", "none: the study directory has no manifest.json (not written by cltbench run), "
          + "so its temperatures, API versions and prompts are not recorded");
    } else {
      root.set("study_manifest", study);
    }
    return this;
  }

  public JsonNode json() {
    return root;
  }

  public String toJson() {
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A few lines for the top of report.html. */
  public static List<String> summary(JsonNode m) {
    List<String> out = new ArrayList<>();
    JsonNode tool = m.path("tool");
    out.add("Manifest (manifest.json): cltbench " + tool.path("version").asText() + ", commit "
        + tool.path("commit").asText() + ", command " + tool.path("command").asText() + " on "
        + tool.path("runner").asText() + "; pipeline " + m.path("pipeline").path("name").asText() + " sha256 "
        + m.path("pipeline").path("sha256").asText("?") + "; benchmark sha256 "
        + m.path("benchmark").path("sha256").asText("?") + "; epochs " + m.path("pipeline").path("epochs").asInt(1)
        + (m.path("pipeline").path("subset").isTextual() ? "; " + m.path("pipeline").path("subset").asText() : "") + ".");
    for (JsonNode model : m.path("models")) {
      JsonNode body = model.path("request").path("body");
      List<String> params = new ArrayList<>();
      body.fields().forEachRemaining(e -> {
        if (!e.getKey().equals("model")) {
          params.add(e.getKey() + "=" + e.getValue());
        }
      });
      model.path("request").path("headers").fields().forEachRemaining(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
      out.add("Manifest: " + model.path("role").asText() + " " + model.path("name").asText() + ": "
          + model.path("provider").asText() + " " + model.path("model_id_requested").asText() + " at "
          + model.path("base_url").asText() + "; sent " + String.join(", ", params) + ".");
    }
    JsonNode run = m.path("run");
    if (run.isObject()) {
      out.add("Manifest: " + run.path("started").asText() + " to " + run.path("ended").asText() + "; "
          + run.path("calls_made").asLong() + " calls made, " + run.path("cache_hits").asLong()
          + " from the cache; tuples: " + run.path("counts").path("line").asText() + ".");
    }
    return out;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A dependency's version from its jar's Maven metadata; "unknown" when not packaged (class folders). */
  static String artifactVersion(String group, String artifact) {
    try (InputStream in = RunManifest.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through
    }
    String v = RunManifest.class.getPackage() == null ? null : RunManifest.class.getPackage().getImplementationVersion();
    return group.equals("dev.cltbench") && v != null ? v : "unknown";
  }

  /**
   * The commit of the checkout the tool's classes were built from (git, when it is one), with
   * "-dirty" when it has uncommitted changes; "unknown" otherwise.
   */
  static String gitCommit() {
    try {
      Path code = Path.of(RunManifest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = code.getParent() == null ? code : code.getParent().getParent();
      String head = git(dir, "rev-parse", "HEAD");
      if (head == null || head.isEmpty()) {
        return "unknown";
      }
      String status = git(dir, "status", "--porcelain", "--untracked-files=no");
      return head + (status != null && !status.isEmpty() ? "-dirty" : "");
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return new String(out, StandardCharsets.UTF_8).strip();
  }
}
