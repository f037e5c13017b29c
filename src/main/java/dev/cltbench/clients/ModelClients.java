package dev.cltbench.clients;

import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Makes the client of a model from its pipeline entry: the provider picks the wire protocol and the
 * default base URL, the key is read from the environment variable the entry names, and retries follow
 * the given policy.
 */
public final class ModelClients {
  private ModelClients() {}

  private record Provider(String protocol, String defaultBase) {}

  private static final Map<String, Provider> PROVIDERS = new LinkedHashMap<>();

  static {
    PROVIDERS.put("openai", new Provider("openai", "https://api.openai.com/v1"));
    PROVIDERS.put("xai", new Provider("openai", "https://api.x.ai/v1"));
    PROVIDERS.put("deepseek", new Provider("openai", "https://api.deepseek.com/v1"));
    PROVIDERS.put("huggingface", new Provider("openai", "https://router.huggingface.co/v1"));
    PROVIDERS.put("together", new Provider("openai", "https://api.together.xyz/v1"));
    PROVIDERS.put("vllm", new Provider("openai", null));
    PROVIDERS.put("ollama", new Provider("openai", null));
    PROVIDERS.put("llamacpp", new Provider("openai", null));
    PROVIDERS.put("openai-compatible", new Provider("openai", null));
    PROVIDERS.put("anthropic", new Provider("anthropic", "https://api.anthropic.com"));
    PROVIDERS.put("gemini", new Provider("gemini", "https://generativelanguage.googleapis.com"));
    PROVIDERS.put("cohere", new Provider("cohere", "https://api.cohere.com"));
  }

  /** The provider names a pipeline file may use. */
  public static List<String> knownProviders() {
    return Collections.unmodifiableList(new ArrayList<>(PROVIDERS.keySet()));
  }

  private static Provider provider(ModelSpec spec) {
    Provider p = spec.provider() == null ? null : PROVIDERS.get(spec.provider().toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new IllegalArgumentException("model " + spec.name() + ": unknown provider '" + spec.provider()
          + "'; known providers: " + String.join(", ", PROVIDERS.keySet()));
    }
    return p;
  }

  /**
   * The client of {@code spec}, with retries. Reads the key named by {@code apiKeyEnv} through
   * {@code env} (null apiKeyEnv: no key, for local servers). Refuses, before any connection, a missing
   * key, a missing base URL for a local-server provider, and a key over plain http to a host that is
   * not loopback.
   */
  public static ModelClient create(ModelSpec spec, Function<String, String> env, RetryPolicy policy) {
    return create(spec, env, policy, d -> Thread.sleep(d.toMillis()));
  }

  /** As {@link #create(ModelSpec, Function, RetryPolicy)}, waiting between attempts with {@code sleeper}. */
  public static ModelClient create(ModelSpec spec, Function<String, String> env, RetryPolicy policy,
      RetryingModelClient.Sleeper sleeper) {
    Provider p = provider(spec);
    String base = spec.baseUrl() != null && !spec.baseUrl().isBlank() ? spec.baseUrl() : p.defaultBase();
    if (base == null) {
      throw new IllegalArgumentException("model " + spec.name() + ": provider " + spec.provider()
          + " is a local server and needs base_url");
    }
    if (PipelineDefinition.EMULATOR_URL.equals(base)) {
      throw new IllegalArgumentException("model " + spec.name()
          + ": base_url 'emulator' must be resolved to the running emulator's address first");
    }
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model " + spec.name() + ": base_url is not a URL: " + base);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw new IllegalArgumentException("model " + spec.name() + ": base_url must be http(s)://host...: " + base);
    }
    String key = null;
    if (spec.apiKeyEnv() != null && !spec.apiKeyEnv().isBlank()) {
      key = env.apply(spec.apiKeyEnv());
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("model " + spec.name() + ": environment variable "
            + spec.apiKeyEnv() + " is not set");
      }
      key = key.strip();
      if (scheme.equals("http") && !isLoopback(uri.getHost())) {
        throw new IllegalArgumentException("model " + spec.name() + ": refusing to send the key from "
            + spec.apiKeyEnv() + " over plain http to " + uri.getHost()
            + " (use https; plain http is allowed for loopback addresses only)");
      }
    }
    String modelId = wireModelId(spec);
    WireProtocol protocol = WireProtocol.of(spec);
    if (!p.protocol().equals("openai") && spec.route() != null && !spec.route().isBlank()) {
      throw new IllegalArgumentException("model " + spec.name() + ": route '" + spec.route()
          + "' is only meaningful for OpenAI-compatible routers, not provider " + spec.provider());
    }
    return new RetryingModelClient(
        new HttpModelClient(protocol, base, modelId, spec.name(), key, policy), policy, sleeper);
  }

  /**
   * The base URL and key a batch of {@code spec} goes to, checked as {@link #create} checks a live
   * client's (the same refusals, before any connection).
   */
  static BatchWire.Target batchTarget(ModelSpec spec, Function<String, String> env) {
    create(spec, env, RetryPolicy.defaults()).close(); // the same checks as a live client, nothing opened
    Provider p = provider(spec);
    String base = spec.baseUrl() != null && !spec.baseUrl().isBlank() ? spec.baseUrl() : p.defaultBase();
    String key = spec.apiKeyEnv() == null || spec.apiKeyEnv().isBlank() ? null : env.apply(spec.apiKeyEnv()).strip();
    WireProtocol protocol = WireProtocol.of(spec);
    return new BatchWire.Target(spec.name(), p.protocol(), base, wireModelId(spec), key, protocol,
        new HttpModelClient(protocol, base, wireModelId(spec), spec.name(), key, RetryPolicy.defaults()));
  }

  /**
   * The factory of real provider clients for a run of {@code definition}: retries and timeouts from
   * the model's limits entry, keys read from the environment of the worker that opens the client.
   */
  public static ModelCalls.ClientFactory factory(PipelineDefinition definition) {
    return spec -> {
      // The spec may carry the emulator's address in place of "emulator": limits are found by name.
      PipelineDefinition.Limit limit = definition.limit(definition.anyModel(spec.name()).orElse(spec));
      RetryPolicy policy = RetryPolicy.defaults()
          .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(timeoutSeconds(limit)));
      if (limit.maxAttempts() != null) {
        policy = policy.withMaxAttempts(limit.maxAttempts());
      }
      return create(spec, System::getenv, policy);
    };
  }

  /** The time a client waits for one reply under {@code limit}: its timeout_seconds, else 120. */
  public static int timeoutSeconds(PipelineDefinition.Limit limit) {
    return limit.timeoutSeconds() == null ? 120 : limit.timeoutSeconds();
  }

  /**
   * What a call of {@code spec} sends besides the prompt, built by the same wire protocol as a real
   * request: {@code url}, the {@code body} without the fields that carry the system prompt and the
   * messages, and the headers that carry no key (API versions). For the run manifest: the parameters
   * as they go on the wire, not as the pipeline file names them.
   *
   * @param base the base URL the client would use (the emulator's address for {@code emulator})
   */
  public static com.fasterxml.jackson.databind.node.ObjectNode requestParameters(ModelSpec spec, String base,
      int maxTokens) {
    return requestParameters(spec, base, maxTokens, null);
  }

  /** As above, for calls whose reply is constrained to {@code schema} (a structured judge's). */
  public static com.fasterxml.jackson.databind.node.ObjectNode requestParameters(ModelSpec spec, String base,
      int maxTokens, ResponseSchema schema) {
    Provider p = provider(spec);
    String url = base != null && !base.isBlank() ? base : p.defaultBase();
    String modelId = wireModelId(spec);
    WireProtocol protocol = WireProtocol.of(spec);
    // Sentinels mark the fields that hold the prompt, whatever the protocol calls them.
    String sentinel = "\u0000cltbench-prompt\u0000";
    com.fasterxml.jackson.databind.node.ObjectNode body = protocol.body(modelId,
        new ChatRequest(sentinel, sentinel, maxTokens, spec.temperatureSent(), spec.seed(), schema));
    List<String> prompt = new ArrayList<>();
    body.fields().forEachRemaining(e -> {
      if (e.getValue().toString().contains("cltbench-prompt")) {
        prompt.add(e.getKey());
      }
    });
    body.remove(prompt);
    com.fasterxml.jackson.databind.node.ObjectNode out = WireProtocol.MAPPER.createObjectNode();
    out.put("url", url == null ? null : protocol.url(url, modelId));
    out.set("body", body);
    prompt.forEach(out.putArray("prompt_fields")::add);
    com.fasterxml.jackson.databind.node.ObjectNode headers = out.putObject("headers");
    protocol.headers(null).forEach(headers::put);
    return out;
  }

  /** How {@code spec}'s provider is asked to constrain a reply to a schema, in the manifest's words. */
  public static String structuredMechanism(ModelSpec spec) {
    provider(spec);
    return WireProtocol.of(spec).structuredMechanism();
  }

  /**
   * What would make every call of {@code spec} fail, known from its entry alone (no key is read):
   * an unknown provider, a local-server provider without base_url, a base_url that is not http(s), a
   * key that would go over plain http to a host that is not loopback. Empty when none.
   */
  public static List<String> configurationProblems(ModelSpec spec) {
    List<String> out = new ArrayList<>();
    String who = "model " + spec.name();
    Provider p = spec.provider() == null ? null : PROVIDERS.get(spec.provider().toLowerCase(Locale.ROOT));
    if (p == null) {
      out.add(who + ": unknown provider '" + spec.provider() + "' (known: "
          + String.join(", ", PROVIDERS.keySet()) + ")");
      return out;
    }
    String base = spec.baseUrl() != null && !spec.baseUrl().isBlank() ? spec.baseUrl() : p.defaultBase();
    if (base == null) {
      out.add(who + ": provider " + spec.provider() + " has no default address: set base_url");
      return out;
    }
    if (PipelineDefinition.EMULATOR_URL.equals(base)) {
      return out;
    }
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      out.add(who + ": base_url is not a URL: " + base);
      return out;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      out.add(who + ": base_url must be http(s)://host...: " + base);
    } else if (scheme.equals("http") && spec.apiKeyEnv() != null && !spec.apiKeyEnv().isBlank()
        && !isLoopback(uri.getHost())) {
      out.add(who + ": its key (" + spec.apiKeyEnv() + ") would go over plain http to " + uri.getHost()
          + ": use https (plain http only to loopback addresses)");
    }
    return out;
  }

  /**
   * The model id as sent: for OpenAI-compatible providers a route is appended as ":route", the
   * provider-selection suffix of Hugging Face's router (e.g. "Qwen/Qwen3-235B-A22B-Instruct-2507:together").
   */
  public static String wireModelId(ModelSpec spec) {
    boolean openAi = provider(spec).protocol().equals("openai");
    return openAi && spec.route() != null && !spec.route().isBlank()
        ? spec.modelId() + ":" + spec.route() : spec.modelId();
  }

  /** Literal loopback addresses and localhost; no DNS lookup, so no name can pretend to be local. */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    boolean literal = h.matches("[0-9.]+") || h.contains(":");
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Environment variables that the given models need and that are unset or blank, each with the names
   * of the models that need it. Unknown providers fail here too, before anything is called.
   */
  public static SortedMap<String, List<String>> missingKeys(Collection<ModelSpec> specs,
      Function<String, String> env) {
    SortedMap<String, List<String>> missing = new TreeMap<>();
    for (ModelSpec s : specs) {
      provider(s);
      if (s.apiKeyEnv() == null || s.apiKeyEnv().isBlank()) {
        continue;
      }
      String v = env.apply(s.apiKeyEnv());
      if (v == null || v.isBlank()) {
        List<String> names = missing.computeIfAbsent(s.apiKeyEnv(), k -> new ArrayList<>());
        if (!names.contains(s.name())) {
          names.add(s.name());
        }
      }
    }
    return missing;
  }
}
