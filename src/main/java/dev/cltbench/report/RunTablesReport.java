package dev.cltbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.StudyCodec;
import dev.cltbench.study.StudyInputException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * What a live run spent and what failed, in the page: its {@code tables/costs.csv} as written, and
 * {@code failures.jsonl} counted per stage, model, condition, status and kind into
 * {@code tables/failures.csv}. A study that is not a run's output (the published one) has neither,
 * and the page then has no such section.
 */
public final class RunTablesReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RunTablesReport() {}

  /**
   * The study's costs table, or null when it has none. Read by its own header, not as {@link CostRow}s:
   * the page shows the file as the run that made it wrote it, and a study resumed from an older run
   * may have other columns.
   */
  public static Table costs(String study) throws IOException {
    String f = StudyCodec.join(study, "tables/costs.csv");
    if (!StudyCodec.exists(f)) {
      return null;
    }
    try (Reader in = StudyCodec.reader(f);
        CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
      List<List<Object>> rows = new ArrayList<>();
      for (CSVRecord r : p) {
        List<Object> row = new ArrayList<>();
        r.forEach(v -> row.add(cell(v)));
        rows.add(row);
      }
      return new Table("costs", "Cost of the run: calls, tokens and spend per model and stage",
          p.getHeaderNames(), rows);
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      throw new StudyInputException(f, null, null, "malformed CSV: " + e.getMessage());
    }
  }

  /** failures.jsonl counted per stage, model, condition, status, kind and whether the tuple was still graded. */
  public static Table failures(String study) throws IOException {
    String f = StudyCodec.join(study, "failures.jsonl");
    if (!StudyCodec.exists(f)) {
      return null;
    }
    // Keyed by the row with no failures counted yet, in the order of its text fields.
    Map<FailureRow, Long> counts = new TreeMap<>(Comparator.comparing(FailureRow::stage)
        .thenComparing(FailureRow::model).thenComparing(FailureRow::condition).thenComparing(FailureRow::status)
        .thenComparing(FailureRow::kind).thenComparing(r -> String.valueOf(r.tupleGraded())));
    int line = 0;
    for (String s : StudyCodec.readString(f).lines().toList()) {
      line++;
      if (s.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = MAPPER.readTree(s);
      } catch (IOException e) {
        throw new StudyInputException(f, "line " + line, null, "malformed JSON: " + e.getMessage());
      }
      // The kind (truncated, no_text, refused, budget, …) says what to do about a failure; a plain
      // HTTP or I/O error has none, and its status says the rest.
      String kind = text(n, "kind");
      FailureRow key = new FailureRow(text(n, "stage"), text(n, "model"), text(n, "condition"), text(n, "status"),
          kind.isEmpty() ? "error" : kind, n.path("tuple_graded").asBoolean(false), 0);
      counts.merge(key, 1L, Long::sum);
    }
    List<FailureRow> rows = new ArrayList<>();
    counts.forEach((k, v) -> rows.add(new FailureRow(k.stage(), k.model(), k.condition(), k.status(), k.kind(),
        k.tupleGraded(), v)));
    return FailureRow.SCHEMA.table(rows);
  }

  /** The page's section of a run's costs and failures (either may be null); empty when both are. */
  static String section(Table costs, Table failures) {
    StringBuilder sb = new StringBuilder();
    if (costs != null || failures != null) {
      sb.append("<section id=\"run\">\n<h2>Cost and failures</h2>\n");
      if (costs != null) {
        sb.append("<p class=\"table-note\">Calls made and served from the cache, tokens and spend at the ")
            .append("pipeline file's prices, per model and stage (tables/costs.csv).</p>\n");
        HtmlReport.tableSection(sb, costs);
      }
      if (failures != null) {
        long total = 0;
        for (FailureRow r : FailureRow.SCHEMA.rows(failures)) {
          total += r.failures();
        }
        if (failures.rows().isEmpty()) {
          sb.append("<p class=\"table-note\">No failures: failures.jsonl is empty.</p>\n");
        } else {
          sb.append("<p class=\"table-note\">").append(total).append(" failures in failures.jsonl; the ")
              .append("explorer lists each failed tuple (status: failed). Tuple graded: one judge of a panel ")
              .append("failed and the others still graded the response.</p>\n");
          HtmlReport.tableSection(sb, failures);
        }
      }
      sb.append("</section>\n");
    }
    return sb.toString();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static Object cell(String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      // not an integer
    }
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) && !v.matches(".*[A-Za-z].*") ? d : v;
    } catch (NumberFormatException e) {
      return v;
    }
  }
}
