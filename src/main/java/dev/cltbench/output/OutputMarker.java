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
public record OutputMarker(String command, String version, String created, List<String> files, boolean complete,
    String missing) {
  public static final String FILE_NAME = ".cltbench-output.json";

  /** What a run's output lacks when its report failed after its study was committed. */
  public static final String REPORT = "report";

  /** A complete output's marker. */
  public OutputMarker(String command, String version, String created, List<String> files) {
    this(command, version, created, files, true, null);
  }

  public OutputMarker(String command, String version, String created, List<String> files, boolean complete) {
    this(command, version, created, files, complete, null);
  }

  /**
   * The marker of an output committed without one of its parts ({@link #REPORT}): it is whole as far
   * as it goes (every file listed, replaceable like any output), and says what a later step may add.
   */
  public OutputMarker lacking(String part) {
    return new OutputMarker(command, version, created, files, complete, part);
  }

  /**
   * The marker written while an output is published onto a filesystem without atomic rename: it lists
   * the earlier output's files and the new ones, so the directory stays replaceable whatever
   * moment a failure stops the publishing; the complete marker replaces it last (the commit).
   */
  public OutputMarker publishing(List<String> alsoFiles) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(files);
    all.addAll(alsoFiles);
    return new OutputMarker(command, version, created, List.copyOf(all), false, missing);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("cltbench_output", 1);
    n.put("command", command);
    n.put("version", version);
    n.put("created", created);
    ArrayNode a = n.putArray("files");
    files.forEach(a::add);
    if (!complete) {
      n.put("complete", false);
    }
    if (missing != null) {
      n.put("missing", missing);
    }
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
        n.path("created").asText(""), List.copyOf(files), n.path("complete").asBoolean(true),
        n.path("missing").isTextual() ? n.get("missing").asText() : null);
  }

  /** The version of the running cltbench (the jar's manifest; "dev" when run from classes). */
  public static String currentVersion() {
    String v = OutputMarker.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
