package dev.cltbench.study;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Which model x condition cells of a study hold fewer responses than the benchmark has questions, or
 * none at all: a study reported without them would read as complete. Counted with a streaming pass
 * over the results files (any Beam filesystem); malformed files are left to the readers that name
 * their errors.
 */
public final class Completeness {
  /** Thread-safe once configured: one for every file. */
  private static final JsonFactory JSON = new JsonFactory();

  private Completeness() {}

  /** An incomplete cell: {@code responses} of {@code expected} (0 when the results file is missing). */
  public record Cell(String condition, String model, long responses, long expected, boolean missingFile) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s x %s: %s", condition, model,
          missingFile ? "no results file" : responses + " of " + expected + " questions");
    }
  }

  public static List<Cell> incompleteCells(String study, PipelineDefinition def, long questions) {
    List<ResultsFile> files = new ArrayList<>();
    for (PipelineDefinition.Condition c : def.conditions()) {
      for (PipelineDefinition.ModelSpec m : def.models()) {
        files.add(new ResultsFile(c.id(), m.name(),
            StudyLayout.join(study, "results/" + c.directory() + "/" + m.name() + ".json")));
      }
    }
    // The files are independent: counted on every core (on a study 100 times the published one, one
    // thread took 5 s before the pipeline could start), reported in the definition's order.
    return files.parallelStream().map(f -> incomplete(f, questions)).filter(java.util.Objects::nonNull).toList();
  }

  /** The results file of one model x condition cell. */
  private record ResultsFile(String condition, String model, String path) {}

  /** The cell when its file is missing or short, else null (also when the file cannot be read: see above). */
  private static Cell incomplete(ResultsFile f, long questions) {
    long n;
    try {
      MatchResult match = FileSystems.match(f.path(), EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        return new Cell(f.condition(), f.model(), 0, questions, true);
      }
      n = count(JSON, match.metadata().get(0).resourceId());
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return n >= 0 && n < questions ? new Cell(f.condition(), f.model(), n, questions, false) : null;
  }

  /** Elements of the top-level "responses" array, or -1 when there is none. */
  private static long count(JsonFactory json, org.apache.beam.sdk.io.fs.ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file));
        JsonParser p = json.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("responses") && t == JsonToken.START_ARRAY) {
          long n = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            n++;
          }
          return n;
        }
        p.skipChildren();
      }
      return -1;
    }
  }
}
