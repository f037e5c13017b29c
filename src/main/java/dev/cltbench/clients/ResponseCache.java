package dev.cltbench.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.PipelineDefinition.ModelSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A content-addressed cache of model responses on any Beam filesystem (a local directory by default,
 * a bucket on a cluster). The key hashes what determines the answer: provider, model id, route,
 * parameters and messages, never the API key. Entries are written under a temporary name and renamed,
 * so a run killed mid-write leaves no torn entry, and a restarted run finds every call that finished.
 */
public final class ResponseCache implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What a cached call returned: its text, usage, latency, and the provider's finish reason and model
   * version. {@code truncated} marks an answer cut at max_tokens, cached only for a model whose
   * on_truncation grades cut answers; a model that fails them never takes such an entry as an answer.
   */
  public record Entry(String text, long inputTokens, long outputTokens, long latencyMs, long reasoningTokens,
      Long billedInputTokens, Long billedOutputTokens, String finishReason, String modelVersion,
      boolean truncated, String reasoning) {
    public Entry(String text, long inputTokens, long outputTokens, long latencyMs) {
      this(text, inputTokens, outputTokens, latencyMs, 0, null, null, null, null, false);
    }

    public Entry(String text, long inputTokens, long outputTokens, long latencyMs, long reasoningTokens,
        Long billedInputTokens, Long billedOutputTokens, String finishReason, String modelVersion,
        boolean truncated) {
      this(text, inputTokens, outputTokens, latencyMs, reasoningTokens, billedInputTokens, billedOutputTokens,
          finishReason, modelVersion, truncated, null);
    }
  }

  private final String directory;

  public ResponseCache(String directory) {
    this.directory = directory;
  }

  /** The cache key of a call (hex SHA-256 of a canonical JSON of everything that shapes the answer). */
  public static String key(ModelSpec spec, String system, String user) {
    return key(spec, system, user, 0);
  }

  /**
   * The key of a call made for {@code epoch} of its tuple. Epoch 0 hashes as before epochs existed, so
   * earlier caches stay valid; a later epoch is a different answer, cached apart, even where the
   * provider takes no seed.
   */
  public static String key(ModelSpec spec, String system, String user, int epoch) {
    return key(spec, system, user, epoch, null);
  }

  /**
   * The key of a call whose reply is constrained to {@code schema} (a structured judge's): the schema
   * shapes the answer, so it is hashed; calls without one hash as before.
   */
  public static String key(ModelSpec spec, String system, String user, int epoch, ResponseSchema schema) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("provider", spec.provider());
    o.put("base_url", spec.baseUrl());
    o.put("model_id", spec.modelId());
    o.put("route", spec.route());
    o.put("max_tokens", spec.maxTokens());
    o.put("temperature", spec.temperature());
    o.put("seed", spec.seed());
    o.put("system", system);
    o.putArray("messages").addObject().put("role", "user").put("content", user);
    if (epoch != 0) {
      o.put("epoch", epoch);
    }
    // Settings that shape the answer, hashed only when set, so caches of entries without them stay valid.
    if (spec.reasoningEffort() != null) {
      o.put("reasoning_effort", spec.reasoningEffort());
    }
    if (spec.thinking() != null) {
      o.put("thinking", spec.thinking());
    }
    if (Boolean.FALSE.equals(spec.sendTemperature())) {
      o.put("send_temperature", false);
    }
    if (spec.apiVersion() != null) {
      o.put("api_version", spec.apiVersion());
    }
    if (schema != null) {
      o.put("response_schema", schema.name() + "\u0000" + schema.schemaJson());
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(
          MAPPER.writeValueAsString(o).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ResourceId file(String key) {
    return FileSystems.matchNewResource(directory, true)
        .resolve(key.substring(0, 2), StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(key + ".json", StandardResolveOptions.RESOLVE_FILE);
  }

  public Optional<Entry> get(String key) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file(key)))) {
      JsonNode n = MAPPER.readTree(in);
      return Optional.of(new Entry(n.get("text").asText(), n.get("input_tokens").asLong(),
          n.get("output_tokens").asLong(), n.get("latency_ms").asLong(), n.path("reasoning_tokens").asLong(0),
          n.hasNonNull("billed_input_tokens") ? n.get("billed_input_tokens").asLong() : null,
          n.hasNonNull("billed_output_tokens") ? n.get("billed_output_tokens").asLong() : null,
          n.hasNonNull("finish_reason") ? n.get("finish_reason").asText() : null,
          n.hasNonNull("model_version") ? n.get("model_version").asText() : null,
          n.path("truncated").asBoolean(false), n.hasNonNull("reasoning") ? n.get("reasoning").asText() : null));
    } catch (FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    }
  }

  public void put(String key, Entry entry) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("text", entry.text());
    o.put("input_tokens", entry.inputTokens());
    o.put("output_tokens", entry.outputTokens());
    o.put("latency_ms", entry.latencyMs());
    if (entry.reasoningTokens() != 0) {
      o.put("reasoning_tokens", entry.reasoningTokens());
    }
    if (entry.billedInputTokens() != null) {
      o.put("billed_input_tokens", entry.billedInputTokens());
    }
    if (entry.billedOutputTokens() != null) {
      o.put("billed_output_tokens", entry.billedOutputTokens());
    }
    if (entry.finishReason() != null) {
      o.put("finish_reason", entry.finishReason());
    }
    if (entry.modelVersion() != null) {
      o.put("model_version", entry.modelVersion());
    }
    if (entry.truncated()) {
      o.put("truncated", true);
    }
    if (entry.reasoning() != null) {
      o.put("reasoning", entry.reasoning()); // the trace, apart from the answer in text
    }
    ResourceId target = file(key);
    ResourceId temp = target.getCurrentDirectory()
        .resolve("." + key + "." + UUID.randomUUID() + ".tmp", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT))) {
      out.write(MAPPER.writeValueAsBytes(o));
    }
    FileSystems.rename(List.of(temp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
