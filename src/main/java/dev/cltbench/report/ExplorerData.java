package dev.cltbench.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudyCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The responses behind the report's numbers, embedded in report.html for its explorer: every enriched
 * response of responses.jsonl (scores, judge notes, language facts, automatic metrics, the graded
 * text) joined with what the study directory holds beside it: the question, the reference answer, the
 * whole response with its intermediate texts, each judge's own grades, and the failed tuples. Built on
 * the launching machine once the pipeline has written responses.jsonl; at most {@link #LIMIT}
 * responses go into the page (in responses.jsonl's order), and the page says what it left out.
 */
public final class ExplorerData {
  /** Responses embedded at most: about 5 KB each keeps the page under ~100 MB. */
  public static final int LIMIT = 20_000;

  /** The data of a page without responses. */
  public static final String EMPTY = "{\"responses\":[]}";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ExplorerData() {}

  /**
   * The explorer's data: the first {@code limit} lines of {@code responsesFiles} (the parts of
   * responses.jsonl, in its order) with the study's texts, judges' grades and failed tuples.
   */
  public static String build(List<String> responsesFiles, String study, PipelineDefinition definition,
      Questions questions, int limit) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode criteria = root.putArray("criteria");
    definition.rubric().criteria().forEach(c -> criteria.add(c.name()));
    // Each criterion's maximum: the page shows scores, and filters them, in percent of the rubric.
    ObjectNode criterionMax = root.putObject("criterion_max");
    definition.rubric().criteria().forEach(c -> criterionMax.put(c.name(), c.max()));
    ArrayNode list = root.putArray("responses");
    long total = 0;
    Map<ResponseKey, ObjectNode> byKey = new HashMap<>();
    for (String responsesFile : responsesFiles) {
      if (list.size() >= limit) {
        total += nonBlankLines(responsesFile);
        continue;
      }
      try (BufferedReader r = new BufferedReader(StudyCodec.reader(responsesFile))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          total++;
          if (list.size() >= limit) {
            continue;
          }
          ObjectNode o = (ObjectNode) MAPPER.readTree(line);
          Questions.Question q = questions.get(o.path("question_id").asInt());
          if (q != null && q.referenceAnswer() != null) {
            o.put("reference_answer", q.referenceAnswer());
          }
          list.add(o);
          byKey.put(ResponseKey.of(o), o);
        }
    }
    }
    if (study != null) {
      addResults(study, definition, byKey);
      addJudges(study, definition, byKey);
      addFailures(study, definition, list, limit);
    }
    root.put("total", total);
    root.put("embedded", list.size());
    root.put("omitted", Math.max(0, total - list.size()));
    return MAPPER.writer().with(PageSafeEscapes.INSTANCE).writeValueAsString(root);
  }

  /**
   * Safe inside <script> in HTML and in XML: no raw '<' or '&', and no '>' (a text holding "]]>" ends
   * the page's well-formedness as XML), written as \\u003c, \\u0026 and \\u003e by the generator
   * itself (Jackson's CharacterEscapes): replacing them afterwards took three passes over a text of
   * 80 MB at 100x.
   */
  static final class PageSafeEscapes extends CharacterEscapes {
    static final PageSafeEscapes INSTANCE = new PageSafeEscapes();
    private static final SerializableString LT = new SerializedString("\\u003c");
    private static final SerializableString AMP = new SerializedString("\\u0026");
    private static final SerializableString GT = new SerializedString("\\u003e");
    private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

    private PageSafeEscapes() {
      ascii['<'] = ESCAPE_CUSTOM;
      ascii['&'] = ESCAPE_CUSTOM;
      ascii['>'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '<' -> LT;
        case '&' -> AMP;
        case '>' -> GT;
        default -> null;
      };
    }
  }

  /**
   * The lines of a part past the limit, counted on its bytes: the page shows only their number, and
   * decoding them to count them was most of the explorer's time on a study of 200,000 responses. A line
   * ends at '\n' or '\r' (as {@link BufferedReader#readLine}) and counts if it holds any byte but ASCII
   * white space (every line of responses.jsonl is a JSON object).
   */
  static long nonBlankLines(String file) throws IOException {
    long lines = 0;
    boolean content = false;
    byte[] buffer = new byte[1 << 16];
    try (java.io.InputStream in = StudyCodec.open(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n' || b == '\r') {
            lines += content ? 1 : 0;
            content = false;
          } else if (b != ' ' && b != '\t' && b != 0x0B && b != '\f') {
            content = true;
          }
        }
      }
    }
    return lines + (content ? 1 : 0);
  }

  /** Question text, whole response and intermediate texts from results/<dir>/<model>.json. */
  private static void addResults(String study, PipelineDefinition definition, Map<ResponseKey, ObjectNode> byKey)
      throws IOException {
    // Only the files of cells with an embedded response are read: past the limit (a study of more than
    // LIMIT responses) the others hold nothing the page shows, and reading them all again was most of
    // the launcher's time on a large study.
    java.util.Set<java.util.List<String>> cells = new java.util.HashSet<>();
    byKey.keySet().forEach(k -> cells.add(java.util.List.of(k.condition(), k.model())));
    for (PipelineDefinition.Condition c : definition.conditions()) {
      for (String f : StudyCodec.match(StudyCodec.resultsOf(study, c.directory()))) {
        String model = StudyCodec.fileName(f).replaceFirst("\\.json$", "");
        if (!cells.contains(java.util.List.of(c.id(), model))) {
          continue;
        }
        JsonNode root = StudyCodec.readJson(f);
        for (JsonNode resp : root.path("responses")) {
          ObjectNode o = byKey.get(new ResponseKey(c.id(), model, resp.path("question_id").asInt(),
              resp.path("epoch").asInt(0)));
          if (o == null) {
            continue;
          }
          o.put("question_text", resp.path("question_text").asText(""));
          o.put("response", resp.path("response").asText(""));
          if (!o.has("reference_answer") && resp.hasNonNull("reference_answer")) {
            o.put("reference_answer", resp.path("reference_answer").asText());
          }
          ArrayNode steps = MAPPER.createArrayNode();
          for (JsonNode s : resp.path("steps")) {
            String stage = s.path("stage").asText();
            if (stage.startsWith("judge")) {
              continue; // judges' replies are shown as their grades and notes
            }
            ObjectNode step = steps.addObject();
            step.put("stage", stage);
            step.put("model", s.path("model").asText(""));
            step.put("output", s.path("output").asText(""));
          }
          if (!steps.isEmpty()) {
            o.set("steps", steps);
          }
        }
      }
    }
  }

  /** Each judge's own grades from judges/<judge>/grades/<dir>.csv, when the study keeps them. */
  private static void addJudges(String study, PipelineDefinition definition, Map<ResponseKey, ObjectNode> byKey)
      throws IOException {
    for (String judge : StudyCodec.judges(study)) {
      for (PipelineDefinition.Condition c : definition.conditions()) {
        String csv = StudyCodec.judgeGrades(study, judge, c.directory());
        if (!StudyCodec.exists(csv)) {
          continue;
        }
        try (Reader r = StudyCodec.reader(csv)) {
          for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
              .parse(r)) {
            ObjectNode o = byKey.get(ResponseKey.of(c.id(), rec));
            if (o == null) {
              continue;
            }
            ObjectNode grades = o.has("judges") ? (ObjectNode) o.get("judges") : o.putObject("judges");
            ObjectNode g = grades.putObject(judge);
            Map<String, String> m = new TreeMap<>(rec.toMap());
            for (PipelineDefinition.Criterion cr : definition.rubric().criteria()) {
              String v = m.get(cr.name());
              if (v != null && !v.isEmpty()) {
                g.put(cr.name(), Integer.parseInt(v));
              }
            }
            if (m.containsKey("notes")) {
              g.put("notes", m.get("notes"));
            }
          }
        }
      }
    }
  }

  /** Tuples that ended in failures.jsonl (a run's study directory), marked {@code failed}. */
  private static void addFailures(String study, PipelineDefinition definition, ArrayNode list, int limit) throws IOException {
    String f = StudyCodec.join(study, "failures.jsonl");
    if (!StudyCodec.exists(f)) {
      return;
    }
    Map<ResponseKey, ObjectNode> seen = new LinkedHashMap<>();
    for (String line : StudyCodec.readString(f).lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = MAPPER.readTree(line);
      if (n.path("tuple_graded").asBoolean(false)) {
        continue; // one judge failed, the tuple was graded by the others: it is in the list already
      }
      ObjectNode o = MAPPER.createObjectNode();
      o.put("condition", n.path("condition").asText());
      o.put("model", n.path("model").asText());
      definition.model(n.path("model").asText()).ifPresent(m -> o.put("family", m.family()));
      o.put("question_id", n.path("question_id").asInt());
      if (n.path("epoch").asInt(0) > 0) {
        o.put("epoch", n.path("epoch").asInt()); // as responses.jsonl: repeats after the first
      }
      o.put("failed", true);
      o.put("failure_stage", n.path("stage").asText(""));
      o.put("failure_reason", n.path("reason").asText(""));
      seen.putIfAbsent(ResponseKey.of(o), o);
    }
    for (ObjectNode o : new ArrayList<>(seen.values())) {
      if (list.size() < limit) {
        list.add(o);
      }
    }
  }
}
