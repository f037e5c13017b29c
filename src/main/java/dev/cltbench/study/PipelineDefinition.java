package dev.cltbench.study;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A study as data (a {@code pipelines/*.json} file): languages, model families, models, conditions, the
 * transfer-answer markers, the judge, the rubric and the statistics settings. Adding a language, a model
 * or a condition is an edit of that file, never of Java code.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record PipelineDefinition(
    @JsonProperty("name") String name,
    @JsonProperty("description") String description,
    @JsonProperty("languages") List<Language> languages,
    @JsonProperty("families") List<Family> families,
    @JsonProperty("models") List<ModelSpec> models,
    @JsonProperty("conditions") List<Condition> conditions,
    @JsonProperty("transfer_markers") TransferMarkers transferMarkers,
    @JsonProperty("judge") ModelSpec judge,
    @JsonProperty("rubric") Rubric rubric,
    @JsonProperty("statistics") StatisticsSettings statistics,
    @JsonProperty("benchmark") String benchmark,
    @JsonProperty("judges") List<ModelSpec> judges,
    @JsonProperty("prompts") Prompts prompts,
    @JsonProperty("limits") Map<String, Limit> limits,
    @JsonProperty("emulator") EmulatorSettings emulator,
    @JsonProperty("epochs") Integer epochs,
    @JsonProperty("scorer") Scorer scorer,
    @JsonProperty("benchmark_fields") BenchmarkFields benchmarkFields,
    @JsonProperty("budget_usd") Double budgetUsd)
    implements Serializable {

  public PipelineDefinition(String name, String description, List<Language> languages,
      List<Family> families, List<ModelSpec> models, List<Condition> conditions,
      TransferMarkers transferMarkers, ModelSpec judge, Rubric rubric, StatisticsSettings statistics,
      String benchmark, List<ModelSpec> judges, Prompts prompts, Map<String, Limit> limits,
      EmulatorSettings emulator, Integer epochs) {
    this(name, description, languages, families, models, conditions, transferMarkers, judge, rubric,
        statistics, benchmark, judges, prompts, limits, emulator, epochs, null, null, null);
  }

  public PipelineDefinition(String name, String description, List<Language> languages,
      List<Family> families, List<ModelSpec> models, List<Condition> conditions,
      TransferMarkers transferMarkers, ModelSpec judge, Rubric rubric, StatisticsSettings statistics,
      String benchmark, List<ModelSpec> judges, Prompts prompts, Map<String, Limit> limits,
      EmulatorSettings emulator) {
    this(name, description, languages, families, models, conditions, transferMarkers, judge, rubric,
        statistics, benchmark, judges, prompts, limits, emulator, null);
  }

  /** Repeats beyond this are refused: the exact per-unit means scale by lcm(1..K), which must stay small. */
  public static final int MAX_EPOCHS = 12;

  /** How many times each tuple is answered (1 unless the file or --epochs says more). */
  public int epochsOrDefault() {
    return epochs == null ? 1 : epochs;
  }

  /** This study answered {@code k} times per tuple. */
  public PipelineDefinition withEpochs(int k) {
    if (k < 1 || k > MAX_EPOCHS) {
      throw new IllegalArgumentException("--epochs must be 1.." + MAX_EPOCHS + ", was " + k);
    }
    for (ModelSpec m : models) {
      // Later epochs add their number to the seed: Gemini's int32 must still hold the last one.
      if ("gemini".equals(protocolOf(m.provider())) && m.seed() != null && m.seed() + k - 1 > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("--epochs=" + k + ": model " + m.name() + " (gemini) field seed "
            + m.seed() + " + " + (k - 1) + " does not fit Gemini's int32 generationConfig.seed");
      }
    }
    return new PipelineDefinition(name, description, languages, families, models, conditions,
        transferMarkers, judge, rubric, statistics, benchmark, judges, prompts, limits, emulator, k,
        scorer, benchmarkFields, budgetUsd);
  }

  public record Language(
      @JsonProperty("code") String code,
      @JsonProperty("name") String name,
      @JsonProperty("iso639_3") String iso6393,
      @JsonProperty("question_field") String questionField)
      implements Serializable {}

  public record Family(@JsonProperty("name") String name, @JsonProperty("description") String description)
      implements Serializable {}

  /** A model (or judge) and how to reach it; the key is named by environment variable, never held. */
  public record ModelSpec(
      @JsonProperty("name") String name,
      @JsonProperty("provider") String provider,
      @JsonProperty("model_id") String modelId,
      @JsonProperty("family") String family,
      @JsonProperty("base_url") String baseUrl,
      @JsonProperty("api_key_env") String apiKeyEnv,
      @JsonProperty("route") String route,
      @JsonProperty("max_tokens") Integer maxTokens,
      @JsonProperty("temperature") Double temperature,
      @JsonProperty("seed") Long seed,
      @JsonProperty("limit_group") String limitGroup,
      @JsonProperty("input_price_per_million") Double inputPricePerMillion,
      @JsonProperty("output_price_per_million") Double outputPricePerMillion,
      @JsonProperty("max_tokens_field") String maxTokensField,
      @JsonProperty("reasoning_effort") String reasoningEffort,
      @JsonProperty("thinking") Integer thinking,
      @JsonProperty("send_temperature") Boolean sendTemperature,
      @JsonProperty("api_version") String apiVersion,
      @JsonProperty("on_truncation") String onTruncation,
      @JsonProperty("reasoning") String reasoning,
      @JsonProperty("reasoning_tags") List<String> reasoningTags,
      @JsonProperty("structured") Boolean structured,
      @JsonProperty("batch") Boolean batch,
      @JsonProperty("batch_discount") Double batchDiscount)
      implements Serializable {

    /**
     * Where a model's reasoning trace is and how it is kept apart from the answer: {@code think-tags}
     * (a {@code <think>...</think>} block at the start of the text, Qwen3 and DeepSeek-R1 style, and
     * the reply's own reasoning field or blocks), {@code field} (only the reply's own reasoning field:
     * OpenAI-compatible {@code reasoning_content} or {@code reasoning}, Anthropic and Cohere thinking
     * blocks, Gemini thought parts), {@code none} (the text as sent; no trace kept).
     */
    public static final String THINK_TAGS = "think-tags";
    public static final String REASONING_FIELD = "field";
    public static final String REASONING_NONE = "none";
    public static final Set<String> REASONING = Set.of(THINK_TAGS, REASONING_FIELD, REASONING_NONE);
    public static final List<String> DEFAULT_REASONING_TAGS = List.of("<think>", "</think>");
    /**
     * OpenAI-compatible providers whose servers do not take a JSON schema in response_format by
     * default: DeepSeek's API takes only {@code json_object}; the router and a generic server depend on
     * what is behind them. Their judges answer in free text unless the entry says structured: true.
     */
    public static final Set<String> UNSTRUCTURED_BY_DEFAULT = Set.of("deepseek", "huggingface", "openai-compatible");

    /** The providers with a batch API the clients speak (Cohere's is undocumented for chat). */
    public static final Set<String> BATCH_PROVIDERS = Set.of("openai", "anthropic", "gemini");
    /** The batch price as a share of the live one: 50% at OpenAI, Anthropic and Gemini (2026-12). */
    public static final double DEFAULT_BATCH_DISCOUNT = 0.5;

    /** The entry as the file had it before reasoning, structured judging and batch were settings. */
    public ModelSpec(String name, String provider, String modelId, String family, String baseUrl,
        String apiKeyEnv, String route, Integer maxTokens, Double temperature, Long seed, String limitGroup,
        Double inputPricePerMillion, Double outputPricePerMillion, String maxTokensField, String reasoningEffort,
        Integer thinking, Boolean sendTemperature, String apiVersion, String onTruncation) {
      this(name, provider, modelId, family, baseUrl, apiKeyEnv, route, maxTokens, temperature, seed, limitGroup,
          inputPricePerMillion, outputPricePerMillion, maxTokensField, reasoningEffort, thinking, sendTemperature,
          apiVersion, onTruncation, null, null, null, null, null);
    }

    /**
     * The reasoning mode used: the entry's, else by provider: {@code none} for OpenAI's own API (it
     * never sends the trace), {@code field} for Anthropic, Gemini and Cohere (their replies keep
     * thinking apart), {@code think-tags} for every other OpenAI-compatible server (vLLM, SGLang,
     * llama.cpp, Ollama, routers: inline tags unless a reasoning parser moved the trace to a field).
     */
    public String reasoningMode() {
      if (reasoning != null) {
        return reasoning;
      }
      String protocol = protocolOf(provider);
      if (protocol == null || "openai".equalsIgnoreCase(provider)) {
        return REASONING_NONE;
      }
      return "openai".equals(protocol) ? THINK_TAGS : REASONING_FIELD;
    }

    /** The opening and closing tags of an inline trace. */
    public List<String> reasoningTagsOrDefault() {
      return reasoningTags == null ? DEFAULT_REASONING_TAGS : reasoningTags;
    }

    /**
     * Whether this entry, as a judge, is sent the rubric as a schema its provider constrains the reply
     * to: the entry's {@code structured}, else true except for {@link #UNSTRUCTURED_BY_DEFAULT} and
     * Anthropic with thinking on (a forced tool cannot be combined with extended thinking).
     */
    public boolean structuredJudging() {
      if (structured != null) {
        return structured;
      }
      String p = provider == null ? "" : provider.toLowerCase(java.util.Locale.ROOT);
      if (UNSTRUCTURED_BY_DEFAULT.contains(p)) {
        return false;
      }
      return !("anthropic".equals(protocolOf(p)) && thinking != null);
    }

    /** Whether this model's calls go out through its provider's batch API. */
    public boolean batched() {
      return Boolean.TRUE.equals(batch);
    }

    /** The hosts of the three batch APIs (an OpenAI-compatible router has no /batches). */
    public static final Set<String> BATCH_HOSTS =
        Set.of("api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com");

    /**
     * Whether this entry can call through a batch API: a provider that has one (openai, anthropic,
     * gemini), at its own host (no base_url, or the official one), or at 127.0.0.1 or the emulator
     * (tests, offline runs). A replay keeps the real endpoint in its limits bucket: that one decides.
     */
    public boolean batchable() {
      if (provider == null || !BATCH_PROVIDERS.contains(provider.toLowerCase(java.util.Locale.ROOT))) {
        return false;
      }
      String url = baseUrl;
      if ((url == null || EMULATOR_URL.equals(url)) && limitGroup != null && limitGroup.contains("@http")) {
        url = limitGroup.substring(limitGroup.indexOf('@') + 1);
      }
      if (url == null || url.isBlank() || EMULATOR_URL.equals(url)) {
        return true;
      }
      try {
        String host = java.net.URI.create(url).getHost();
        return host != null && (BATCH_HOSTS.contains(host.toLowerCase(java.util.Locale.ROOT))
            || host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    /** What the prices are multiplied by: the batch discount when batched, else 1. */
    public double priceFactor() {
      return batched() ? (batchDiscount != null ? batchDiscount : DEFAULT_BATCH_DISCOUNT) : 1.0;
    }

    /** This entry with batch mode on or off (the run's --batch option). */
    public ModelSpec withBatch(Boolean b) {
      return new ModelSpec(name, provider, modelId, family, baseUrl, apiKeyEnv, route, maxTokens, temperature, seed,
          limitGroup, inputPricePerMillion, outputPricePerMillion, maxTokensField, reasoningEffort, thinking,
          sendTemperature, apiVersion, onTruncation, reasoning, reasoningTags, structured, b, batchDiscount);
    }

    /** Grade answers cut at max_tokens instead of failing them ({@code on_truncation: "grade"}). */
    public static final String GRADE_TRUNCATED = "grade";
    public static final Set<String> ON_TRUNCATION = Set.of("fail", GRADE_TRUNCATED);
    public static final Set<String> MAX_TOKENS_FIELDS = Set.of("max_tokens", "max_completion_tokens");
    /** OpenAI's ReasoningEffort enum (openai-chat.json, 2026-08). */
    public static final Set<String> REASONING_EFFORTS =
        Set.of("none", "minimal", "low", "medium", "high", "xhigh", "max");

    /** A model entry without the reasoning-model settings (all defaults). */
    public ModelSpec(String name, String provider, String modelId, String family, String baseUrl,
        String apiKeyEnv, String route, Integer maxTokens, Double temperature, Long seed, String limitGroup,
        Double inputPricePerMillion, Double outputPricePerMillion) {
      this(name, provider, modelId, family, baseUrl, apiKeyEnv, route, maxTokens, temperature, seed,
          limitGroup, inputPricePerMillion, outputPricePerMillion, null, null, null, null, null, null);
    }

    /** The limits bucket this model's calls count against (by default, its endpoint). */
    public String limitKey() {
      return limitGroup != null ? limitGroup : provider + "@" + baseUrl;
    }

    /** Whether a temperature goes on the wire: set, and the model takes one. */
    public Double temperatureSent() {
      return Boolean.FALSE.equals(sendTemperature) ? null : temperature;
    }

    public boolean gradesTruncated() {
      return GRADE_TRUNCATED.equals(onTruncation);
    }

    public ModelSpec withBaseUrl(String url, String key, String group) {
      return new ModelSpec(name, provider, modelId, family, url, key, route, maxTokens, temperature, seed,
          group, inputPricePerMillion, outputPricePerMillion, maxTokensField, reasoningEffort, thinking,
          sendTemperature, apiVersion, onTruncation, reasoning, reasoningTags, structured, batch, batchDiscount);
    }

    public ModelSpec withSeed(Long s) {
      return new ModelSpec(name, provider, modelId, family, baseUrl, apiKeyEnv, route, maxTokens, temperature,
          s, limitGroup, inputPricePerMillion, outputPricePerMillion, maxTokensField, reasoningEffort, thinking,
          sendTemperature, apiVersion, onTruncation, reasoning, reasoningTags, structured, batch, batchDiscount);
    }
  }

  /** Prompt templates of the live run; {source} and {target} are language names. */
  public record Prompts(@JsonProperty("translate") String translate) implements Serializable {
    public static final String DEFAULT_TRANSLATE =
        "Translate the user's text from {source} into {target}. Reply with the translation only, "
            + "keeping its formatting, without comments.";

    public String translate(String source, String target) {
      String t = translate == null ? DEFAULT_TRANSLATE : translate;
      return t.replace("{source}", source).replace("{target}", target);
    }
  }

  /**
   * Limits of one endpoint: calls in flight, requests and tokens per minute (0 = none), retries,
   * per-call timeout.
   */
  public record Limit(
      @JsonProperty("concurrency") int concurrency,
      @JsonProperty("requests_per_minute") int requestsPerMinute,
      @JsonProperty("tokens_per_minute") int tokensPerMinute,
      @JsonProperty("max_attempts") Integer maxAttempts,
      @JsonProperty("timeout_seconds") Integer timeoutSeconds)
      implements Serializable {}

  /**
   * Run every model whose base_url is {@code emulator} against the project's model emulator on
   * 127.0.0.1 (offline runs, tests, benchmarks). Latencies in milliseconds; {@code fault_rate} of
   * transient faults; every call to a model id in {@code refuse_models} is refused (a permanent fault);
   * {@code account_quota} makes the emulator one provider account with a request quota shared by every
   * caller, announced in the providers' rate-limit headers and enforced with 429s.
   */
  public record EmulatorSettings(
      @JsonProperty("latency_ms") Integer latencyMs,
      @JsonProperty("replay") String replay,
      @JsonProperty("latency_scale") Double latencyScale,
      @JsonProperty("fault_rate") Double faultRate,
      @JsonProperty("seed") Long seed,
      @JsonProperty("refuse_models") List<String> refuseModels,
      @JsonProperty("models") Map<String, EmulatedModel> models,
      @JsonProperty("account_quota") AccountQuota accountQuota)
      implements Serializable {
    public EmulatorSettings(Integer latencyMs, String replay, Double latencyScale, Double faultRate, Long seed,
        List<String> refuseModels) {
      this(latencyMs, replay, latencyScale, faultRate, seed, refuseModels, null, null);
    }

    public EmulatorSettings(Integer latencyMs, String replay, Double latencyScale, Double faultRate, Long seed,
        List<String> refuseModels, Map<String, EmulatedModel> models) {
      this(latencyMs, replay, latencyScale, faultRate, seed, refuseModels, models, null);
    }
  }

  /**
   * An emulated provider account's request quota: {@code requests_per_minute} for all callers
   * together, replenished continuously, of which at most {@code burst} (default a second's worth) may
   * be spent at once.
   */
  public record AccountQuota(
      @JsonProperty("requests_per_minute") int requestsPerMinute,
      @JsonProperty("burst") Integer burst)
      implements Serializable {}

  /**
   * How the emulator answers one model (by model name), to drive the providers' hard cases:
   * {@code truncate} "with_text" (the provider's max-tokens finish reason with the text cut) or
   * "no_text" (that finish reason and no text: a reasoning model that spent max_tokens thinking);
   * {@code no_text} a final finish reason with no text; fixed usage per reply ({@code input_tokens},
   * {@code output_tokens} visible, {@code reasoning_tokens} reasoning or thinking on top, billed as
   * output); {@code billed_input_tokens}/{@code billed_output_tokens} Cohere's billed_units where
   * they differ from its tokens.
   */
  public record EmulatedModel(
      @JsonProperty("truncate") String truncate,
      @JsonProperty("no_text") Boolean noText,
      @JsonProperty("input_tokens") Long inputTokens,
      @JsonProperty("output_tokens") Long outputTokens,
      @JsonProperty("reasoning_tokens") Long reasoningTokens,
      @JsonProperty("billed_input_tokens") Long billedInputTokens,
      @JsonProperty("billed_output_tokens") Long billedOutputTokens,
      @JsonProperty("reasoning") String reasoning,
      @JsonProperty("prose_rate") Double proseRate)
      implements Serializable {
    public static final Set<String> TRUNCATE = Set.of("with_text", "no_text");
    /**
     * The reasoning shapes the emulator serves (OpenAI protocol): {@code think-tags} (the trace inline
     * before the answer, Qwen3 on vLLM without a reasoning parser), {@code reasoning_content}
     * (DeepSeek's API, vLLM's reasoning parsers), {@code reasoning} (the field some servers name so).
     */
    public static final Set<String> REASONING_SHAPES = Set.of("think-tags", "reasoning_content", "reasoning");

    public EmulatedModel(String truncate, Boolean noText, Long inputTokens, Long outputTokens, Long reasoningTokens,
        Long billedInputTokens, Long billedOutputTokens) {
      this(truncate, noText, inputTokens, outputTokens, reasoningTokens, billedInputTokens, billedOutputTokens,
          null, null);
    }
  }

  public static final String EMULATOR_URL = "emulator";

  /**
   * How graded texts are scored: {@code judges} (the default: the judge panel grades the rubric), or a
   * rule against the reference with no call: {@code exact-match} (the graded text equals the
   * reference, ignoring case, surrounding space and final punctuation) or {@code choice} (the choice
   * letter the answer gives equals the reference letter). A rule scores one criterion, 0 or 1:
   * {@code criterion} (default {@code correct}), the rubric when the file gives none.
   */
  public record Scorer(@JsonProperty("type") String type, @JsonProperty("criterion") String criterion)
      implements Serializable {
    public static final String JUDGES = "judges";
    public static final String EXACT_MATCH = "exact-match";
    public static final String CHOICE = "choice";
    public static final List<String> TYPES = List.of(JUDGES, EXACT_MATCH, CHOICE);

    public String typeOrDefault() {
      return type == null ? JUDGES : type;
    }

    public boolean ruleBased() {
      return !JUDGES.equals(typeOrDefault());
    }

    public String criterionOrDefault() {
      return criterion == null ? "correct" : criterion;
    }

    /** The rubric a rule scores: its one criterion, wrong (0) or right (1). */
    public Rubric rubric() {
      return new Rubric(List.of(new Criterion(criterionOrDefault(), 0, 1, List.of("wrong", "right"))), List.of());
    }
  }

  public Scorer scorerOrDefault() {
    return scorer == null ? new Scorer(null, null) : scorer;
  }

  /**
   * Where a benchmark file keeps each part of a question: {@code format} {@code json} (the default: an
   * array, the published study's), {@code jsonl} (one object a line) or {@code csv} (a header row);
   * the fields of the id, the category and the reference (defaults {@code id}, {@code category},
   * {@code reference_answer}); the question's text in each language is the language's
   * {@code question_field}. {@code choices}: the fields of a multiple-choice question's options, in
   * order ({@code {language}} stands for the language's code); they are put after the question as
   * lines {@code A. ...}, and the reference may be a letter or a 1-based number.
   */
  public record BenchmarkFields(
      @JsonProperty("format") String format,
      @JsonProperty("id") String id,
      @JsonProperty("category") String category,
      @JsonProperty("reference") String reference,
      @JsonProperty("choices") List<String> choices)
      implements Serializable {
    public static final List<String> FORMATS = List.of("json", "jsonl", "csv");

    public static final BenchmarkFields DEFAULT = new BenchmarkFields(null, null, null, null, null);

    public String formatOrDefault() {
      return format == null ? "json" : format;
    }

    public String idField() {
      return id == null ? "id" : id;
    }

    public String categoryField() {
      return category == null ? "category" : category;
    }

    public String referenceField() {
      return reference == null ? "reference_answer" : reference;
    }

    public List<String> choicesOrEmpty() {
      return choices == null ? List.of() : choices;
    }
  }

  public BenchmarkFields benchmarkFieldsOrDefault() {
    return benchmarkFields == null ? BenchmarkFields.DEFAULT : benchmarkFields;
  }

  /** The judges of the panel: {@code judges} when given, else the single {@code judge}. */
  public List<ModelSpec> panel() {
    if (judges != null && !judges.isEmpty()) {
      return judges;
    }
    return judge == null ? List.of() : List.of(judge);
  }

  public Prompts promptsOrDefault() {
    return prompts == null ? new Prompts(null) : prompts;
  }

  /**
   * This study with every model and judge served by the emulator replaying the recorded responses and
   * grades of {@code studyDirectory}, latencies scaled by {@code latencyScale}. Each model keeps the
   * limits bucket of its real endpoint, so the pipeline file's limits still apply; no key is needed.
   */
  public PipelineDefinition replayedFrom(String studyDirectory, double latencyScale) {
    java.util.function.UnaryOperator<ModelSpec> emulate = m -> m == null ? null
        : m.withBaseUrl(EMULATOR_URL, null, m.limitKey());
    Map<String, Limit> keptLimits = limits;
    // No emulated hard cases in a replay: it serves what the study recorded, nothing else.
    EmulatorSettings replay = new EmulatorSettings(emulator == null ? null : emulator.latencyMs(),
        studyDirectory, latencyScale, null, emulator == null ? null : emulator.seed(), null, null);
    return new PipelineDefinition(name, description, languages, families,
        models.stream().map(emulate).toList(), conditions, transferMarkers, emulate.apply(judge), rubric,
        statistics, benchmark, judges == null ? null : judges.stream().map(emulate).toList(), prompts,
        keptLimits, replay, epochs, scorer, benchmarkFields, null); // a replay spends nothing: no budget
  }

  /**
   * This study with every model and judge in the limits bucket {@code group} names for it, and
   * {@code newLimits} as the only limits (benchmarks and tests of the limits; not re-validated).
   */
  public PipelineDefinition withLimitGroups(java.util.function.Function<ModelSpec, String> group,
      Map<String, Limit> newLimits) {
    java.util.function.UnaryOperator<ModelSpec> regroup = m -> m == null ? null
        : m.withBaseUrl(m.baseUrl(), m.apiKeyEnv(), group.apply(m));
    return new PipelineDefinition(name, description, languages, families,
        models.stream().map(regroup).toList(), conditions, transferMarkers, regroup.apply(judge), rubric,
        statistics, benchmark, judges == null ? null : judges.stream().map(regroup).toList(), prompts,
        Map.copyOf(newLimits), emulator, epochs, scorer, benchmarkFields, budgetUsd);
  }

  /** The run option --batch: each entry's own {@code batch} setting, or all on, or all off. */
  public enum BatchMode {
    /** Batch where the pipeline file says {@code "batch": true}. */
    FILE,
    /** Every model and judge whose provider has a batch API; the others stay live. */
    AUTO,
    /** Every model and judge; an error names any whose provider has no batch API. */
    ON,
    /** Live calls only, whatever the file says. */
    OFF;

    /** Parses --batch (true, false, auto; empty for the file's settings). */
    public static BatchMode parse(String value) {
      if (value == null || value.isBlank()) {
        return FILE;
      }
      return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "true" -> ON;
        case "false" -> OFF;
        case "auto" -> AUTO;
        default -> throw new IllegalArgumentException("--batch must be true, false or auto, was " + value);
      };
    }
  }

  /**
   * This study with the run's batch choice applied to every model and judge. {@link BatchMode#ON}
   * refuses a provider without a batch API (Cohere, local servers), naming the model.
   */
  public PipelineDefinition withBatch(BatchMode mode) {
    if (mode == BatchMode.FILE) {
      return this;
    }
    java.util.function.UnaryOperator<ModelSpec> set = m -> {
      if (m == null) {
        return null;
      }
      if (mode == BatchMode.ON && !m.batchable()) {
        throw new IllegalArgumentException("--batch=true: model " + m.name() + " (provider " + m.provider()
            + ", " + m.baseUrl() + ") has no batch API cltbench speaks (only providers " + new java.util.TreeSet<>(
            ModelSpec.BATCH_PROVIDERS) + " at their own API hosts); use --batch=auto to keep it live");
      }
      return m.withBatch(mode == BatchMode.OFF ? Boolean.FALSE : m.batchable());
    };
    return new PipelineDefinition(name, description, languages, families, models.stream().map(set).toList(),
        conditions, transferMarkers, set.apply(judge), rubric, statistics, benchmark,
        judges == null ? null : judges.stream().map(set).toList(), prompts, limits, emulator, epochs, scorer,
        benchmarkFields, budgetUsd);
  }

  /** Whether any model or judge calls through a batch API. */
  public boolean anyBatched() {
    return models.stream().anyMatch(ModelSpec::batched) || panel().stream().anyMatch(ModelSpec::batched);
  }

  /** This study with other models and conditions (a subset of its own; not re-validated). */
  public PipelineDefinition withModelsAndConditions(List<ModelSpec> keptModels, List<Condition> keptConditions) {
    return new PipelineDefinition(name, description, languages, families, List.copyOf(keptModels),
        List.copyOf(keptConditions), transferMarkers, judge, rubric, statistics, benchmark, judges, prompts,
        limits, emulator, epochs, scorer, benchmarkFields, budgetUsd);
  }

  public Limit limit(ModelSpec m) {
    if (limits != null) {
      Limit l = limits.get(m.limitKey());
      if (l != null) {
        return l;
      }
      l = limits.get("default");
      if (l != null) {
        return l;
      }
    }
    return new Limit(4, 0, 0, 6, 120);
  }

  /** A model or judge by name. */
  public Optional<ModelSpec> anyModel(String name) {
    Optional<ModelSpec> m = model(name);
    return m.isPresent() ? m : panel().stream().filter(j -> j.name().equals(name)).findFirst();
  }

  /** A condition: its {@code type} names its strategy in {@link ConditionTypes}. */
  public record Condition(
      @JsonProperty("id") String id,
      @JsonProperty("label") String label,
      @JsonProperty("directory") String directory,
      @JsonProperty("description") String description,
      @JsonProperty("language") String language,
      @JsonProperty("question_field") String questionField,
      @JsonProperty("type") String type,
      @JsonProperty("compare_with") String compareWith,
      @JsonProperty("translator") String translator,
      @JsonProperty("system_prompt") String systemPrompt)
      implements Serializable {

    public boolean isTransfer() {
      return compareWith != null;
    }

    /** The strategy of this condition's type (the type was checked when the file was read). */
    public ConditionType conditionType() {
      return ConditionTypes.of(type).orElseThrow(
          () -> new IllegalArgumentException("condition " + id + ": unknown type " + type));
    }

    /** Whether the graded text is the final answer extracted from a longer response (self-transfer). */
    public boolean extractsFinalAnswer() {
      return conditionType().extractsFinalAnswer();
    }
  }

  public record Criterion(
      @JsonProperty("name") String name,
      @JsonProperty("min") int min,
      @JsonProperty("max") int max,
      @JsonProperty("levels") List<String> levels)
      implements Serializable {}

  public record Rubric(
      @JsonProperty("criteria") List<Criterion> criteria, @JsonProperty("rules") List<String> rules)
      implements Serializable {

    /** The criteria's names, in the file's order: the order of every score and table column. */
    public List<String> criterionNames() {
      return criteria.stream().map(Criterion::name).toList();
    }

    public Optional<Criterion> criterion(String name) {
      return criteria.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public int maxTotal() {
      return criteria.stream().mapToInt(Criterion::max).sum();
    }

    public int minTotal() {
      return criteria.stream().mapToInt(Criterion::min).sum();
    }
  }

  /**
   * {@code test}: the paired test of transfer against direct, "sign-flip" (when absent: the permutation
   * test of the mean difference, which tests what the interval estimates) or "wilcoxon".
   */
  public record StatisticsSettings(
      @JsonProperty("bootstrap_resamples") int bootstrapResamples,
      @JsonProperty("seed") long seed,
      @JsonProperty("confidence") double confidence,
      @JsonProperty("test") String test)
      implements Serializable {
    public static final Set<String> TESTS = Set.of("wilcoxon", "sign-flip");

    public String testOrDefault() {
      return test == null ? "sign-flip" : test;
    }
  }

  /** Columns of a grades file besides the criteria: no criterion may take their names. */
  static final Set<String> RESERVED_COLUMNS = Set.of("question_id", "category", "model", "total",
      "response_time", "response_length", "notes", "epoch");

  public static final Set<String> CONDITION_TYPES = ConditionTypes.names();

  /** Reads and validates a definition; errors name the file and the offending field. */
  public static PipelineDefinition read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StudyInputException(file.toString(), null, null, "pipeline definition not found");
    }
    ObjectMapper mapper =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    PipelineDefinition def;
    try {
      def = mapper.readValue(file.toFile(), PipelineDefinition.class);
    } catch (JsonMappingException e) {
      throw new StudyInputException(JsonFieldErrors.describe(file.toString(), e));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StudyInputException(file.toString(), null, null, "malformed JSON: " + Utf8.describe(e));
    } catch (IOException e) {
      throw new StudyInputException(file.toString(), null, null, "cannot read: " + e.getMessage());
    }
    if (def.scorerOrDefault().ruleBased() && def.rubric() == null) {
      def = new PipelineDefinition(def.name, def.description, def.languages, def.families, def.models,
          def.conditions, def.transferMarkers, def.judge, def.scorerOrDefault().rubric(), def.statistics,
          def.benchmark, def.judges, def.prompts, def.limits, def.emulator, def.epochs, def.scorer,
          def.benchmarkFields, def.budgetUsd);
    }
    def.validate(file.toString());
    return def;
  }

  /** This study graded by the panel in {@code file} (a JSON array of judge entries), validated. */
  public PipelineDefinition withJudgesFrom(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StudyInputException(file.toString(), null, null, "judge panel file not found");
    }
    List<ModelSpec> panel;
    try {
      panel = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(
          file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<List<ModelSpec>>() {});
    } catch (JsonMappingException e) {
      throw new StudyInputException(JsonFieldErrors.describe(file.toString(), e));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StudyInputException(file.toString(), null, null, "malformed JSON: " + Utf8.describe(e));
    } catch (IOException e) {
      throw new StudyInputException(file.toString(), null, null, "cannot read: " + e.getMessage());
    }
    require(file.toString(), "judges", panel != null && !panel.isEmpty(), "is empty: name at least one judge");
    PipelineDefinition def = new PipelineDefinition(name, description, languages, families, models,
        conditions, transferMarkers, null, rubric, statistics, benchmark, panel, prompts, limits, emulator,
        epochs, scorer, benchmarkFields, budgetUsd);
    def.validate(file.toString());
    return def;
  }

  private void validate(String file) {
    require(file, "name", name != null && !name.isBlank(), "is missing");
    require(file, "epochs", epochs == null || epochs >= 1 && epochs <= MAX_EPOCHS, "must be 1.." + MAX_EPOCHS);
    require(file, "budget_usd", budgetUsd == null || budgetUsd > 0, "must be a positive number of USD");
    require(file, "languages", languages != null && !languages.isEmpty(), "is missing or empty");
    require(file, "models", models != null && !models.isEmpty(), "is missing or empty");
    require(file, "conditions", conditions != null && !conditions.isEmpty(), "is missing or empty");
    require(file, "transfer_markers", transferMarkers != null, "is missing");
    require(file, "rubric", rubric != null && rubric.criteria() != null && !rubric.criteria().isEmpty(),
        "is missing or has no criteria");
    Set<String> criterionNames = new HashSet<>();
    for (int i = 0; i < rubric.criteria().size(); i++) {
      Criterion c = rubric.criteria().get(i);
      String at = "rubric.criteria[" + i + "]";
      require(file, at + ".name", c.name() != null && c.name().matches("[a-z][a-z0-9_]*"),
          "must be a lower-case name of letters, digits and _ (it becomes a column), was " + c.name());
      require(file, at + ".name", !RESERVED_COLUMNS.contains(c.name()),
          "names a column the grades files already have: " + c.name());
      require(file, at + ".name", criterionNames.add(c.name()), "duplicates criterion " + c.name());
      // One grade only would make every score the maximum and its percentage 0/0.
      require(file, at + ".max", c.min() < c.max(), "must be above min " + c.min() + " (a criterion needs two grades at least)");
      require(file, at + ".levels", c.levels() == null || c.levels().size() == c.max() - c.min() + 1,
          "names " + (c.levels() == null ? 0 : c.levels().size()) + " levels for the " + (c.max() - c.min() + 1)
              + " grades " + c.min() + ".." + c.max());
    }
    // 10,000 resamples keep the Monte Carlo error of a 95% percentile bound well below table precision.
    require(file, "statistics", statistics != null && statistics.bootstrapResamples() >= 10_000
        && statistics.confidence() > 0 && statistics.confidence() < 1,
        "needs bootstrap_resamples >= 10000 and 0 < confidence < 1");
    require(file, "statistics.test", StatisticsSettings.TESTS.contains(statistics.testOrDefault()),
        "names unknown test " + statistics.test() + " (known: " + StatisticsSettings.TESTS + ")");
    Set<String> langs = new HashSet<>();
    for (int i = 0; i < languages.size(); i++) {
      Language l = languages.get(i);
      String at = "languages[" + i + "]";
      require(file, at + ".code", l.code() != null && !l.code().isBlank(), "is missing");
      require(file, at + ".question_field", l.questionField() != null, "is missing");
      require(file, at + ".code", langs.add(l.code()), "duplicates language " + l.code());
    }
    Set<String> fams = new HashSet<>();
    if (families != null) {
      for (Family f : families) {
        fams.add(f.name());
      }
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < models.size(); i++) {
      ModelSpec m = models.get(i);
      String at = "models[" + i + "]";
      require(file, at + ".name", m.name() != null && !m.name().isBlank(), "is missing");
      require(file, at + ".name", names.add(m.name()), "duplicates model " + m.name());
      require(file, at + ".provider", m.provider() != null, "is missing");
      require(file, at + ".model_id", m.modelId() != null, "is missing");
      require(file, at + ".family", m.family() != null && fams.contains(m.family()),
          "names unknown family " + m.family() + " (families: " + fams + ")");
      requireCallable(file, at, m);
    }
    Set<String> ids = new HashSet<>();
    Set<String> dirs = new HashSet<>();
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      String at = "conditions[" + i + "]";
      require(file, at + ".id", c.id() != null && !c.id().isBlank(), "is missing");
      require(file, at + ".id", ids.add(c.id()), "duplicates condition " + c.id());
      require(file, at + ".directory", c.directory() != null && dirs.add(c.directory()),
          "is missing or duplicated");
      require(file, at + ".language", langs.contains(c.language()),
          "names unknown language " + c.language() + " (languages: " + langs + ")");
      require(file, at + ".type", CONDITION_TYPES.contains(c.type()),
          "must be one of " + CONDITION_TYPES + ", was " + c.type());
    }
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      if (c.translator() != null) {
        require(file, "conditions[" + i + "].translator", names.contains(c.translator()),
            "names unknown model " + c.translator());
      }
      if (c.compareWith() != null) {
        Optional<Condition> control = condition(c.compareWith());
        require(file, "conditions[" + i + "].compare_with", control.isPresent(),
            "names unknown condition " + c.compareWith());
        require(file, "conditions[" + i + "].compare_with", !control.get().isTransfer(),
            "must name a direct condition, " + c.compareWith() + " is itself a transfer condition");
      }
    }
    Scorer sc = scorerOrDefault();
    require(file, "scorer.type", Scorer.TYPES.contains(sc.typeOrDefault()),
        "must be one of " + Scorer.TYPES + ", was " + sc.type());
    if (sc.ruleBased()) {
      Criterion only = rubric.criteria().get(0);
      require(file, "rubric.criteria", rubric.criteria().size() == 1 && only.min() == 0 && only.max() == 1
          && only.name().equals(sc.criterionOrDefault()),
          "a " + sc.typeOrDefault() + " scorer scores one criterion " + sc.criterionOrDefault()
              + " 0..1: give that rubric or none");
    } else {
      require(file, "judges", !panel().isEmpty(), "is missing: the judge-panel scorer needs a judge or judges");
    }
    BenchmarkFields bf = benchmarkFieldsOrDefault();
    require(file, "benchmark_fields.format", BenchmarkFields.FORMATS.contains(bf.formatOrDefault()),
        "must be one of " + BenchmarkFields.FORMATS + ", was " + bf.format());
    for (int i = 0; i < bf.choicesOrEmpty().size(); i++) {
      String f = bf.choicesOrEmpty().get(i);
      require(file, "benchmark_fields.choices[" + i + "]", f != null && !f.isBlank(), "is empty");
    }
    require(file, "benchmark_fields.choices", bf.choicesOrEmpty().size() <= 26, "has more than 26 choices");
    List<ModelSpec> panel = panel();
    Set<String> judgeNames = new HashSet<>();
    for (int i = 0; i < panel.size(); i++) {
      ModelSpec j = panel.get(i);
      String at = (judges != null && !judges.isEmpty() ? "judges[" + i + "]" : "judge");
      require(file, at + ".name", j.name() != null && judgeNames.add(j.name()),
          "is missing or duplicated");
      require(file, at + ".provider", j.provider() != null, "is missing");
      require(file, at + ".model_id", j.modelId() != null, "is missing");
      requireCallable(file, at, j);
    }
    if (limits != null) {
      limits.forEach((k, l) -> require(file, "limits." + k + ".concurrency", l.concurrency() >= 1,
          "must be at least 1"));
    }
    if (emulator != null && emulator.models() != null) {
      for (Map.Entry<String, EmulatedModel> e : new java.util.TreeMap<>(emulator.models()).entrySet()) {
        String at = "emulator.models." + e.getKey();
        Optional<ModelSpec> m = anyModel(e.getKey());
        require(file, at, m.isPresent(), "names unknown model " + e.getKey());
        require(file, at, EMULATOR_URL.equals(m.get().baseUrl()),
            "model " + e.getKey() + " is not emulated (its base_url is not \"emulator\")");
        EmulatedModel b = e.getValue();
        require(file, at + ".truncate", b.truncate() == null || EmulatedModel.TRUNCATE.contains(b.truncate()),
            "must be with_text or no_text, was " + b.truncate());
        require(file, at + ".reasoning", b.reasoning() == null || EmulatedModel.REASONING_SHAPES.contains(b.reasoning()),
            "must be one of " + new java.util.TreeSet<>(EmulatedModel.REASONING_SHAPES) + ", was " + b.reasoning());
        require(file, at + ".reasoning", b.reasoning() == null || "openai".equals(protocolOf(m.get().provider())),
            "is served on the OpenAI-compatible protocol only (model " + e.getKey() + " is " + m.get().provider() + ")");
        require(file, at + ".prose_rate", b.proseRate() == null || b.proseRate() >= 0 && b.proseRate() <= 1,
            "must be between 0 and 1, was " + b.proseRate());
      }
    }
  }

  /** The providers the clients know, by the wire protocol they speak (ModelClients has their addresses). */
  private static final Map<String, String> PROTOCOLS = Map.ofEntries(
      Map.entry("openai", "openai"), Map.entry("xai", "openai"), Map.entry("deepseek", "openai"),
      Map.entry("huggingface", "openai"), Map.entry("together", "openai"), Map.entry("vllm", "openai"),
      Map.entry("ollama", "openai"), Map.entry("llamacpp", "openai"), Map.entry("openai-compatible", "openai"),
      Map.entry("anthropic", "anthropic"), Map.entry("gemini", "gemini"), Map.entry("cohere", "cohere"));

  /** The wire protocol a provider name speaks (openai, anthropic, gemini, cohere), or null when unknown. */
  public static String protocolOf(String provider) {
    return provider == null ? null : PROTOCOLS.get(provider.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * What a provider would reject on every call of this entry, caught before any call (the API
   * references of 2026-12; ../shared/provider-specs): settings its protocol does not have, Gemini's
   * int32 seed, Cohere's seed >= 0 and temperature <= 1, temperature where the model takes none.
   */
  private void requireCallable(String file, String at, ModelSpec m) {
    String who = " (model " + m.name() + ", provider " + m.provider() + ")";
    // A negative price would make spend, budget and costs.csv count money back.
    require(file, at + ".input_price_per_million", m.inputPricePerMillion() == null
        || (m.inputPricePerMillion() >= 0 && Double.isFinite(m.inputPricePerMillion())),
        "must be 0 or more USD, was " + m.inputPricePerMillion() + who);
    require(file, at + ".output_price_per_million", m.outputPricePerMillion() == null
        || (m.outputPricePerMillion() >= 0 && Double.isFinite(m.outputPricePerMillion())),
        "must be 0 or more USD, was " + m.outputPricePerMillion() + who);
    String protocol = protocolOf(m.provider());
    if (protocol == null) {
      return; // an unknown provider is named, with the known ones, before any call (Preflight)
    }
    require(file, at + ".max_tokens", m.maxTokens() == null || m.maxTokens() >= 1, "must be at least 1" + who);
    require(file, at + ".batch", !m.batched() || m.batchable(),
        "has no batch API cltbench speaks (only providers " + new java.util.TreeSet<>(ModelSpec.BATCH_PROVIDERS)
            + " at their own API hosts): remove batch" + who);
    require(file, at + ".batch_discount", m.batchDiscount() == null || (m.batchDiscount() > 0 && m.batchDiscount() <= 1),
        "must be above 0 and at most 1 (the batch price as a share of the live one), was " + m.batchDiscount() + who);
    require(file, at + ".on_truncation", m.onTruncation() == null || ModelSpec.ON_TRUNCATION.contains(m.onTruncation()),
        "must be one of " + new java.util.TreeSet<>(ModelSpec.ON_TRUNCATION) + ", was " + m.onTruncation() + who);
    if (m.maxTokensField() != null) {
      require(file, at + ".max_tokens_field", protocol.equals("openai"),
          "is only for OpenAI-compatible providers" + who);
      require(file, at + ".max_tokens_field", ModelSpec.MAX_TOKENS_FIELDS.contains(m.maxTokensField()),
          "must be max_tokens or max_completion_tokens, was " + m.maxTokensField() + who);
    }
    if (m.reasoningEffort() != null) {
      require(file, at + ".reasoning_effort", protocol.equals("openai"),
          "is only for OpenAI-compatible providers (Anthropic and Gemini take thinking)" + who);
      require(file, at + ".reasoning_effort", ModelSpec.REASONING_EFFORTS.contains(m.reasoningEffort()),
          "must be one of " + new java.util.TreeSet<>(ModelSpec.REASONING_EFFORTS) + ", was "
              + m.reasoningEffort() + who);
    }
    require(file, at + ".reasoning", m.reasoning() == null || ModelSpec.REASONING.contains(m.reasoning()),
        "must be one of " + new java.util.TreeSet<>(ModelSpec.REASONING) + ", was " + m.reasoning() + who);
    if (m.reasoningTags() != null) {
      require(file, at + ".reasoning_tags", m.reasoningTags().size() == 2
          && m.reasoningTags().stream().allMatch(t -> t != null && !t.isBlank())
          && !m.reasoningTags().get(0).equals(m.reasoningTags().get(1)),
          "must be two different non-empty tags, the opening and the closing one (e.g. [\"<think>\", \"</think>\"])" + who);
      require(file, at + ".reasoning_tags", THINK_TAGS_OK.test(m),
          "only applies with reasoning \"think-tags\" (the mode used is " + m.reasoningMode() + ")" + who);
    }
    if (Boolean.TRUE.equals(m.structured()) && protocol.equals("anthropic")) {
      require(file, at + ".structured", m.thinking() == null,
          "Anthropic forces the verdict tool only without thinking: remove thinking or set structured false" + who);
    }
    if (m.apiVersion() != null) {
      require(file, at + ".api_version", protocol.equals("anthropic"), "is only for provider anthropic" + who);
    }
    int maxTokens = m.maxTokens() == null ? DEFAULT_MAX_TOKENS : m.maxTokens();
    if (m.thinking() != null) {
      require(file, at + ".thinking", protocol.equals("anthropic") || protocol.equals("gemini"),
          "is only for providers anthropic and gemini (OpenAI-compatible models take reasoning_effort)" + who);
      if (protocol.equals("anthropic")) {
        require(file, at + ".thinking", m.thinking() >= 1024 && m.thinking() < maxTokens,
            "budget_tokens must be at least 1024 and below max_tokens (" + maxTokens + "), was "
                + m.thinking() + who);
        require(file, at + ".temperature", m.temperatureSent() == null,
            "Anthropic takes no temperature with thinking enabled: remove it or set send_temperature false" + who);
      } else {
        require(file, at + ".thinking", m.thinking() >= -1,
            "thinkingBudget must be -1 (dynamic), 0 (off) or a token count, was " + m.thinking() + who);
      }
    }
    if (Boolean.FALSE.equals(m.sendTemperature())) {
      require(file, at + ".temperature", m.temperature() == null,
          "is set, but send_temperature is false: the model takes no temperature" + who);
    }
    if (m.reasoningEffort() != null && m.temperature() != null) {
      require(file, at + ".temperature", Boolean.TRUE.equals(m.sendTemperature()),
          "OpenAI reasoning models take only the default temperature: remove it (or set send_temperature "
              + "true if this model takes one)" + who);
    }
    Double t = m.temperatureSent();
    if (t != null) {
      double max = protocol.equals("anthropic") || protocol.equals("cohere") ? 1 : 2;
      require(file, at + ".temperature", t >= 0 && t <= max,
          "must be between 0 and " + (int) max + " for provider " + m.provider() + ", was " + t + who);
    }
    if (m.seed() != null) {
      long last = m.seed() + epochsOrDefault() - 1; // later epochs add their number to the seed
      if (protocol.equals("gemini")) {
        require(file, at + ".seed", m.seed() >= Integer.MIN_VALUE && last <= Integer.MAX_VALUE,
            "Gemini's generationConfig.seed is an int32: " + m.seed() + " (+ epochs) does not fit" + who);
      }
      if (protocol.equals("cohere")) {
        require(file, at + ".seed", m.seed() >= 0, "Cohere takes seeds >= 0, was " + m.seed() + who);
      }
    }
  }

  private static final java.util.function.Predicate<ModelSpec> THINK_TAGS_OK =
      m -> ModelSpec.THINK_TAGS.equals(m.reasoningMode());

  /** max_tokens of an entry that names none: the published study's limit. */
  public static final int DEFAULT_MAX_TOKENS = 2048;

  private static void require(String file, String field, boolean ok, String problem) {
    if (!ok) {
      throw new StudyInputException(file, null, field, problem);
    }
  }

  public Optional<Condition> condition(String id) {
    return conditions.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public Optional<ModelSpec> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public Optional<Language> language(String code) {
    return languages.stream().filter(l -> l.code().equals(code)).findFirst();
  }

  /** Condition id by its results/grades directory name. */
  public Map<String, String> conditionIdsByDirectory() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Condition c : conditions) {
      m.put(c.directory(), c.id());
    }
    return m;
  }

  /** Model name to family. */
  public Map<String, String> familiesByModel() {
    Map<String, String> m = new HashMap<>();
    for (ModelSpec s : models) {
      m.put(s.name(), s.family());
    }
    return m;
  }

  public FinalAnswerExtractor finalAnswerExtractor() {
    return new FinalAnswerExtractor(transferMarkers);
  }
}
