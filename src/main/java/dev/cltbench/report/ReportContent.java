package dev.cltbench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the HTML report shows, as plain immutable data. Deliberately carries no clock: the same
 * content renders to the same bytes.
 *
 * @param studyName the study's name, the page title
 * @param description one paragraph about the study
 * @param notes header notes shown in a box at the top, in order (for example "Models were emulated",
 *     the runner, the input directory, a generated-by line); no timestamps if output must be stable
 * @param tables the tables, in the order they are shown; names must be unique
 * @param conditionLabels optional human labels for condition ids (e.g. "C2" to "Kazakh direct"), used
 *     in figure legends and axes; may be empty
 * @param explorerJson the responses explorer's data (see {@link ExplorerData}), embedded as is; {@link
 *     ExplorerData#EMPTY} when there are no responses to show
 */
public record ReportContent(
    String studyName,
    String description,
    List<String> notes,
    List<Table> tables,
    Map<String, String> conditionLabels,
    String explorerJson) {

  public ReportContent {
    Objects.requireNonNull(studyName, "studyName");
    description = description == null ? "" : description;
    notes = List.copyOf(notes);
    tables = List.copyOf(tables);
    Set<String> names = new HashSet<>();
    for (Table t : tables) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("duplicate table name " + t.name());
      }
    }
    conditionLabels = conditionLabels == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(conditionLabels));
    explorerJson = explorerJson == null ? ExplorerData.EMPTY : explorerJson;
  }

  public ReportContent(String studyName, String description, List<String> notes, List<Table> tables,
      Map<String, String> conditionLabels) {
    this(studyName, description, notes, tables, conditionLabels, ExplorerData.EMPTY);
  }

  public ReportContent(String studyName, String description, List<String> notes, List<Table> tables) {
    this(studyName, description, notes, tables, Map.of());
  }

  /** The table with this name, if present. */
  public Optional<Table> table(String name) {
    for (Table t : tables) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The rows of the table {@code schema} describes, as records; empty when the table is absent or lacks
   * one of the schema's columns (a figure drawn from it is then left out).
   */
  public <R> Optional<List<R>> rows(RowSchema<R> schema) {
    return table(schema.table()).filter(schema::fits).map(schema::rows);
  }

  /** The rows of a score table, with the criteria it was written with; empty as for {@link #rows}. */
  public Optional<List<ScoreRow>> scores(ScoreRow.Kind kind) {
    return table(kind.table()).flatMap(t -> rows(kind.schema(ScoreRow.criteria(t))));
  }

  /** "C2 · Kazakh direct" when a label is known, else the id. */
  public String conditionLabel(String condition) {
    String label = conditionLabels.get(condition);
    return label == null || label.isEmpty() ? condition : condition + " · " + label;
  }

  /** The table names in order. */
  public List<String> tableNames() {
    List<String> out = new ArrayList<>(tables.size());
    for (Table t : tables) {
      out.add(t.name());
    }
    return out;
  }
}
