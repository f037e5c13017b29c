package dev.cltbench.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.report.Templates;
import dev.cltbench.study.PipelineDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The files of a review sample: {@code review.csv} (what a person grades: the texts and one empty
 * column per rubric criterion), {@code review.html} (the same as an offline form that exports the
 * filled-in CSV), and {@code key.csv} (which response each review id is: keep it from the rater).
 * The criteria are the pipeline file's rubric, in its order.
 */
public final class ReviewFiles {
  public static final String SAMPLE = "review.csv";
  public static final String FORM = "review.html";
  public static final String KEY = "key.csv";

  static final List<String> KEY_HEADER = List.of("review_id", "condition", "model", "question_id", "epoch",
      "stratum");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReviewFiles() {}

  static CSVFormat csv() {
    return CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();
  }

  /** Writes the three files into {@code dir}. */
  public static void write(Path dir, List<ReviewSample.Item> items, PipelineDefinition def, String stratify,
      long seed, String answerSheet) throws IOException {
    List<String> criteria = criteria(def);
    try (Writer w = Files.newBufferedWriter(dir.resolve(SAMPLE), StandardCharsets.UTF_8);
        CSVPrinter p = csv().print(w)) {
      List<String> header = new ArrayList<>(List.of("review_id", "language", "question", "question_english",
          "reference_answer", "answer"));
      header.addAll(criteria);
      header.add("notes");
      p.printRecord(header);
      for (ReviewSample.Item i : items) {
        List<String> row = new ArrayList<>(List.of(i.reviewId(), i.language(), i.question(),
            englishOrEmpty(i), i.reference(), i.answer()));
        criteria.forEach(c -> row.add(""));
        row.add("");
        p.printRecord(row);
      }
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve(KEY), StandardCharsets.UTF_8);
        CSVPrinter p = csv().print(w)) {
      p.printRecord(KEY_HEADER);
      for (ReviewSample.Item i : items) {
        p.printRecord(i.reviewId(), i.condition(), i.model(), i.questionId(), i.epoch(), i.stratum());
      }
    }
    Files.writeString(dir.resolve(FORM), form(items, def, stratify, seed, answerSheet), StandardCharsets.UTF_8);
  }

  static List<String> criteria(PipelineDefinition def) {
    return def.rubric().criteria().stream().map(PipelineDefinition.Criterion::name).toList();
  }

  private static String englishOrEmpty(ReviewSample.Item i) {
    return i.language().equals("English") || i.questionEnglish().equals(i.question()) ? "" : i.questionEnglish();
  }

  /** The study's free-text answer sheet ({@code benchmark/*answer_sheet*.txt}), or null. */
  public static String answerSheet(String study) throws IOException {
    for (String f : dev.cltbench.study.StudyCodec.match(dev.cltbench.study.StudyCodec.join(study, "benchmark/*.txt"))) {
      if (dev.cltbench.study.StudyCodec.fileName(f).contains("answer_sheet")) {
        return dev.cltbench.study.StudyCodec.readString(f).replace("\uFEFF", "");
      }
    }
    return null;
  }

  /** The offline form, rendered from {@code review-form.mustache}. */
  static String form(List<ReviewSample.Item> items, PipelineDefinition def, String stratify, long seed,
      String answerSheet) {
    List<Map<String, Object>> criteria = new ArrayList<>();
    for (PipelineDefinition.Criterion c : def.rubric().criteria()) {
      List<Map<String, Object>> levels = new ArrayList<>();
      for (int v = c.min(); v <= c.max(); v++) {
        int at = v - c.min();
        levels.add(Map.of("value", v, "label",
            c.levels() != null && at < c.levels().size() ? c.levels().get(at) : ""));
      }
      criteria.add(Map.of("name", c.name(), "min", c.min(), "max", c.max(), "levels", levels));
    }
    List<Map<String, Object>> shown = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (ReviewSample.Item i : items) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", i.reviewId());
      m.put("language", i.language());
      m.put("question", i.question());
      m.put("questionEnglish", englishOrEmpty(i));
      m.put("reference", !i.reference().isEmpty() ? i.reference() : answerSheet != null
          ? "(no short reference: find this question in the answer sheet above, under " + i.category() + ")"
          : "(no short reference)");
      m.put("answer", i.answer());
      shown.add(m);
      ids.add(i.reviewId());
    }
    ObjectNode data = MAPPER.createObjectNode();
    // Which sample this is, for the browser's memory of a half-done review: its ids and seed.
    data.put("sample", def.name() + ":" + seed + ":" + Integer.toHexString(ids.hashCode()));
    data.putPOJO("ids", ids);
    data.putPOJO("criteria", criteria(def));
    List<String> rules = def.rubric().rules() == null ? List.of() : def.rubric().rules();
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("title", def.name());
    scope.put("count", items.size());
    scope.put("seed", seed);
    scope.put("stratify", stratify.isEmpty() ? "nothing" : stratify.replace(",", " x "));
    scope.put("criteria", criteria);
    scope.put("rules", rules);
    scope.put("hasRules", !rules.isEmpty());
    // The judge graded open questions against the study's answer sheet: the person gets it too.
    scope.put("answerSheet", answerSheet);
    scope.put("items", shown);
    try {
      // Inside <script>: no raw '<' or '&' may end it early.
      scope.put("dataJson", MAPPER.writeValueAsString(data).replace("<", "\\u003c").replace("&", "\\u0026"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    scope.put("script", Templates.resource(ReviewFiles.class, "review-form.js"));
    // The form's markup is the template; values are escaped, the script and data inserted as they are.
    return Templates.render(ReviewFiles.class, "review-form.mustache", scope);
  }
}
