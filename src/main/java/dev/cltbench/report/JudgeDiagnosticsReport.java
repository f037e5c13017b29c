package dev.cltbench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cltbench.stats.JudgeDiagnostics;
import dev.cltbench.stats.Seeds;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyCodec;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * tables/judge_diagnostics.{csv,md,tex} and the report's judge section, from the study's grades: each
 * judge's own grades under judges/ (a panel), else the recorded grades as the one judge. A judge is
 * related to a graded model when they share a provider or when the pipeline file gives the judge the
 * model's family. Written on the launching machine beside the explorer's data (the grades of a study
 * are small: one row per response and judge).
 */
public final class JudgeDiagnosticsReport {
  public static final String TABLE = JudgeDiagnosticsRow.SCHEMA.table();

  private JudgeDiagnosticsReport() {}

  /**
   * Each response's word count by its key, read with Jackson's streaming parser from the bytes: a
   * line's texts are skipped, not built or even decoded (a tree of every line was most of this table's
   * time on a large study, and decoding every text before skipping it half of what remained).
   */
  static Map<ResponseKey, Double> words(List<String> responsesFiles) throws IOException {
    Map<ResponseKey, Double> words = new HashMap<>();
    JsonFactory json = new JsonFactory();
    for (String file : responsesFiles) {
      try (JsonParser p = json.createParser(StudyCodec.open(file))) {
        // The file is a sequence of root-level objects, one per line.
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (t != JsonToken.START_OBJECT) {
            throw new IOException(file + ": not a JSON object per line at " + p.currentLocation());
          }
          String condition = "";
          String model = "";
          int question = 0;
          int epoch = 0;
          double count = 0;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
              case "condition" -> condition = text(p, value);
              case "model" -> model = text(p, value);
              case "question_id" -> question = p.getValueAsInt(0);
              case "epoch" -> epoch = p.getValueAsInt(0);
              case "words" -> count = p.getValueAsDouble(0);
              default -> p.skipChildren();
            }
          }
          words.put(new ResponseKey(condition, model, question, epoch), count);
        }
      }
    }
    return words;
  }

  /** As {@link JsonNode#asText()}: a scalar's text, "" for an object, an array or null. */
  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value.isStructStart()) {
      p.skipChildren();
      return "";
    }
    return value == JsonToken.VALUE_NULL ? "null" : p.getText();
  }

  /** The table from the parts of responses.jsonl ({@code responsesFiles}, in order) and the study's grades. */
  public static Table table(List<String> responsesFiles, String study, PipelineDefinition definition)
      throws IOException {
    Map<ResponseKey, Double> words = words(responsesFiles);
    // Rater -> the study under which its grades/ are.
    TreeMap<String, String> raters = new TreeMap<>();
    for (String judge : StudyCodec.judges(study)) {
      raters.put(judge, StudyCodec.join(study, "judges/" + judge));
    }
    if (raters.isEmpty()) {
      List<PipelineDefinition.ModelSpec> panel = definition.panel();
      raters.put(panel.size() == 1 ? panel.get(0).name() : "recorded", study);
    }
    int maxTotal = 0;
    for (PipelineDefinition.Criterion c : definition.rubric().criteria()) {
      maxTotal += c.max();
    }
    Map<ResponseKey, JudgeDiagnostics.Unit> units = new TreeMap<>();
    for (Map.Entry<String, String> rater : raters.entrySet()) {
      for (PipelineDefinition.Condition c : definition.conditions()) {
        String csv = StudyCodec.grades(rater.getValue(), c.directory());
        if (!StudyCodec.exists(csv)) {
          continue;
        }
        try (Reader r = StudyCodec.reader(csv)) {
          for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
            // Each epoch's answer is its own unit (graded on its own); units of a question share a cluster.
            ResponseKey k = ResponseKey.of(c.id(), rec);
            int q = k.question();
            String model = k.model();
            Double length = words.get(k);
            if (length == null) {
              continue;
            }
            double total = 0;
            for (PipelineDefinition.Criterion cr : definition.rubric().criteria()) {
              total += Integer.parseInt(rec.get(cr.name()));
            }
            JudgeDiagnostics.Unit u = units.computeIfAbsent(k,
                x -> new JudgeDiagnostics.Unit(q, model, length, new TreeMap<>()));
            u.scores().put(rater.getKey(), total * 100.0 / maxTotal);
          }
        }
      }
    }
    List<JudgeDiagnostics.Unit> list = new ArrayList<>(units.values());
    PipelineDefinition.StatisticsSettings st = definition.statistics();
    List<JudgeDiagnosticsRow> rows = new ArrayList<>();
    for (String judge : raters.keySet()) {
      PipelineDefinition.ModelSpec spec = definition.panel().stream().filter(j -> j.name().equals(judge))
          .findFirst().orElse(null);
      Set<String> related = new TreeSet<>();
      if (spec != null) {
        for (PipelineDefinition.ModelSpec m : definition.models()) {
          if ((spec.provider() != null && spec.provider().equals(m.provider()))
              || (spec.family() != null && spec.family().equals(m.family()))) {
            related.add(m.name());
          }
        }
      }
      JudgeDiagnostics.Result r = JudgeDiagnostics.of(judge, list, related, st.confidence(),
          st.bootstrapResamples(), Seeds.forScope(st.seed(), "judge:" + judge));
      JudgeDiagnostics.Estimate len = r.leniency();
      JudgeDiagnostics.Estimate bias = r.lengthBias();
      JudgeDiagnostics.Estimate self = r.selfPreference();
      rows.add(new JudgeDiagnosticsRow(judge, spec == null ? null : spec.provider(), r.units(),
          orNull(len.value()), orNull(len.lower()), orNull(len.upper()),
          orNull(bias.value()), orNull(bias.lower()), orNull(bias.upper()),
          related.isEmpty() ? null : String.join(" ", related), r.relatedUnits(),
          orNull(self.value()), orNull(self.lower()), orNull(self.upper())));
    }
    return JudgeDiagnosticsRow.SCHEMA.table(rows);
  }

  /** An estimate that cannot be computed is an empty cell. */
  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** The page's section of the table. */
  static String section(Table t) {
    StringBuilder sb = new StringBuilder("<section id=\"judges\">\n<h2>Judges</h2>\n<p class=\"table-note\">")
        .append("Leniency: the judge's score minus the other judges' mean on the same response (needs two or ")
        .append("more judges). Length bias: correlation of the judge's score with answer length within ")
        .append("question. Self-preference: leniency on the models that share the judge's provider or family ")
        .append("minus leniency on the others. Intervals: bootstrap over questions.</p>\n");
    HtmlReport.tableSection(sb, t);
    sb.append("</section>\n");
    return sb.toString();
  }
}
