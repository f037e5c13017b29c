package dev.cltbench.study;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The one reader and writer of the study layout ({@code results/<condition dir>/<model>.json},
 * {@code grades/<condition dir>.csv}, {@code judges/<judge>/grades/<condition dir>.csv},
 * {@code benchmark/questions.json}, {@code manifest.json}, {@code failures.jsonl}), on Beam's
 * {@link FileSystems} so a study, a replayed study or a run's output may sit on any registered scheme.
 * Every command that reads or writes a study goes through here; the checked parsing of results and
 * grades for the report is {@code ReadStudyResults}/{@code ReadStudyGrades}, which match through the
 * same paths.
 */
public final class StudyCodec {
  private StudyCodec() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  // ---- where things are

  public static String join(String dir, String rest) {
    return dir.endsWith("/") ? dir + rest : dir + "/" + rest;
  }

  public static String results(String study, String conditionDirectory, String model) {
    return join(study, "results/" + conditionDirectory + "/" + model + ".json");
  }

  public static String resultsOf(String study, String conditionDirectory) {
    return join(study, "results/" + conditionDirectory + "/*.json");
  }

  public static String grades(String study, String conditionDirectory) {
    return join(study, "grades/" + conditionDirectory + ".csv");
  }

  public static String judgeGrades(String study, String judge, String conditionDirectory) {
    return join(study, "judges/" + judge + "/grades/" + conditionDirectory + ".csv");
  }

  public static String questions(String study) {
    return join(study, "benchmark/questions.json");
  }

  public static String manifest(String study) {
    return join(study, "manifest.json");
  }

  /** The judges with grades under {@code judges/} of a study, sorted; none if absent. */
  public static List<String> judges(String study) {
    String root = join(study, "judges/");
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    for (String p : match(root + "*/grades/*.csv")) {
      // .../judges/<judge>/grades/<file>: the third segment from the end, whatever the study's path
      // (matched paths may be spelt differently from the pattern, a local one made absolute).
      String[] parts = p.split("/");
      names.add(parts[parts.length - 3]);
    }
    return new ArrayList<>(names);
  }

  /** The last path segment of a matched file. */
  public static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  // ---- reading

  /** Whether {@code file} is an existing file (a directory, or nothing there, is not). */
  public static boolean exists(String file) {
    try {
      return isFile(file);
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * As {@link #exists}, but a filesystem that cannot say is an error, not "no file": what decides
   * whether an output may be replaced must not take a failed listing for an empty place.
   */
  public static boolean isFile(String file) throws IOException {
    MatchResult m = FileSystems.match(file, EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK) {
      return false;
    }
    for (MatchResult.Metadata md : m.metadata()) {
      if (!md.resourceId().isDirectory()) {
        return true;
      }
    }
    return false;
  }

  /** The files matching {@code pattern}, as paths in name order; none when nothing matches. */
  public static List<String> match(String pattern) {
    List<String> out = new ArrayList<>();
    try {
      MatchResult m = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (m.status() == MatchResult.Status.NOT_FOUND) {
        return out;
      }
      if (m.status() != MatchResult.Status.OK) {
        throw new StudyInputException(pattern, null, null, "cannot list: " + m.status());
      }
      for (MatchResult.Metadata md : m.metadata()) {
        if (!md.resourceId().isDirectory()) {
          out.add(md.resourceId().toString());
        }
      }
    } catch (IOException e) {
      throw new StudyInputException(pattern, null, null, "cannot list: " + e.getMessage());
    }
    out.sort(null);
    return out;
  }

  public static InputStream open(String file) throws IOException {
    return Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false)));
  }

  /** A strict UTF-8 reader (see {@link Utf8}). */
  public static Reader reader(String file) throws IOException {
    return Utf8.reader(open(file), file);
  }

  public static byte[] readBytes(String file) throws IOException {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    }
  }

  public static String readString(String file) throws IOException {
    return new String(readBytes(file), StandardCharsets.UTF_8);
  }

  /** A JSON file's tree; malformed JSON is a StudyInputException naming the file. */
  public static JsonNode readJson(String file) {
    try (InputStream in = open(file)) {
      return MAPPER.readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StudyInputException(file, null, null, "malformed JSON: " + Utf8.describe(e));
    } catch (IOException e) {
      throw new StudyInputException(file, null, null, "unreadable: " + e.getMessage());
    }
  }

  // ---- writing

  /** The resource {@code relative} ('/'-separated) below {@code directory}. */
  public static ResourceId resource(String directory, String relative) {
    ResourceId file = FileSystems.matchNewResource(directory, true);
    String[] parts = relative.split("/");
    for (int i = 0; i < parts.length; i++) {
      file = file.resolve(parts[i], i == parts.length - 1
          ? StandardResolveOptions.RESOLVE_FILE : StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return file;
  }

  /** A new file {@code relative} below {@code directory}, for content too large to hold in memory. */
  public static OutputStream create(String directory, String relative) throws IOException {
    return Channels.newOutputStream(FileSystems.create(resource(directory, relative), MimeTypes.TEXT));
  }

  /** Writes {@code content} to {@code relative} below {@code directory}, replacing what is there. */
  public static void write(String directory, String relative, byte[] content) throws IOException {
    try (OutputStream out = create(directory, relative)) {
      out.write(content);
    }
  }

  public static void write(String directory, String relative, String content) throws IOException {
    write(directory, relative, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code content} unless a file is already there (a cell every tuple of which failed). */
  public static void writeIfMissing(String directory, String relative, byte[] content) throws IOException {
    if (!exists(resource(directory, relative).toString())) {
      write(directory, relative, content);
    }
  }

  /** Copies the file {@code from} (any scheme) to {@code relative} below {@code directory}. */
  public static void copy(String from, String directory, String relative) throws IOException {
    write(directory, relative, readBytes(from));
  }

  /** The results file of a condition x model with no graded response, as every earlier run wrote it. */
  public static byte[] emptyResults(String model, String condition, String language) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("model", model);
    n.put("condition", condition);
    n.put("language", language);
    n.putArray("responses");
    try {
      return (MAPPER.writer(new SpacedPrinter()).writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line with a space after every colon and comma: {@code {"a": 1, "b": []}}. */
  private static final class SpacedPrinter extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }
}
