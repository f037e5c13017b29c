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
    JsonFactory json = new JsonFactory();
    List<Cell> out = new ArrayList<>();
    for (PipelineDefinition.Condition c : def.conditions()) {
      for (PipelineDefinition.ModelSpec m : def.models()) {
        String file = StudyLayout.join(study, "results/" + c.directory() + "/" + m.name() + ".json");
        long n;
        try {
          MatchResult match = FileSystems.match(file, EmptyMatchTreatment.ALLOW);
          if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
            out.add(new Cell(c.id(), m.name(), 0, questions, true));
            continue;
          }
          n = count(json, match.metadata().get(0).resourceId());
        } catch (IOException | RuntimeException e) {
          continue;
        }
        if (n >= 0 && n < questions) {
          out.add(new Cell(c.id(), m.name(), n, questions, false));
        }
      }
    }
    return out;
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
