package dev.cltbench.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file that makes a directory a cltbench output: which command wrote it, with which version and
 * when, and every file it wrote. Only a directory carrying it is ever replaced, and only when it holds
 * nothing else.
 */
public record OutputMarker(String command, String version, String created, List<String> files) {
  public static final String FILE_NAME = ".cltbench-output.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("cltbench_output", 1);
    n.put("command", command);
    n.put("version", version);
    n.put("created", created);
    ArrayNode a = n.putArray("files");
    files.forEach(a::add);
    try {
      return MAPPER.writeValueAsString(n) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The marker in {@code json}, or null when it is not one (then the directory is not ours). */
  public static OutputMarker parse(String json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      return null;
    }
    if (n == null || !n.path("cltbench_output").isInt() || !n.path("command").isTextual()
        || !n.path("files").isArray()) {
      return null;
    }
    List<String> files = new ArrayList<>();
    for (JsonNode f : n.get("files")) {
      if (!f.isTextual()) {
        return null;
      }
      files.add(f.asText());
    }
    return new OutputMarker(n.get("command").asText(), n.path("version").asText(""),
        n.path("created").asText(""), List.copyOf(files));
  }

  /** The version of the running cltbench (the jar's manifest; "dev" when run from classes). */
  public static String currentVersion() {
    String v = OutputMarker.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
