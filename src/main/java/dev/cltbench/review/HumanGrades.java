package dev.cltbench.review;

import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyInputException;
import dev.cltbench.study.Utf8;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A person's grades of a review sample (the CSV the form exports, or review.csv filled in by hand),
 * resolved through the sample's key to the responses they grade, and written as one more rater's
 * grades in the study layout ({@code judges/human/grades/<condition dir>.csv}), so agreement with
 * the judges is computed like any judge-vs-judge agreement. Rows left blank are responses not yet
 * reviewed and are skipped; anything else that is wrong stops with the file, line and field.
 */
public final class HumanGrades {
  public static final String RATER = "human";

  private HumanGrades() {}

  /** One reviewed response: its unit, a score per rubric criterion (in the rubric's order), notes. */
  public record Grade(String reviewId, String condition, String model, int questionId, int epoch,
      Map<String, Integer> scores, String notes) {
    public Grade {
      scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }
  }

  /** Reads and checks {@code file} against the sample's {@code key} and the rubric. */
  public static List<Grade> read(Path file, Path key, PipelineDefinition def) throws IOException {
    Map<String, CSVRecord> units = new HashMap<>();
    for (CSVRecord r : records(key)) {
      for (String col : ReviewFiles.KEY_HEADER) {
        if (!r.isMapped(col)) {
          throw new StudyInputException(key.toString(), "header", col, "missing column (is this a review sample's key.csv?)");
        }
      }
      String condition = r.get("condition");
      if (def.condition(condition).isEmpty()) {
        throw new StudyInputException(key.toString(), "row " + r.getRecordNumber(), "condition",
            "unknown condition " + condition + " in the pipeline file");
      }
      units.put(r.get("review_id"), r);
    }
    List<PipelineDefinition.Criterion> criteria = def.rubric().criteria();
    List<Grade> out = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    List<CSVRecord> rows = records(file);
    if (!rows.isEmpty()) {
      CSVRecord first = rows.get(0);
      for (String col : concat("review_id", criteria)) {
        if (!first.isMapped(col)) {
          throw new StudyInputException(file.toString(), "header", col, "missing column");
        }
      }
    }
    for (CSVRecord r : rows) {
      if (!r.isConsistent()) {
        throw new StudyInputException(file.toString(), "row " + r.getRecordNumber(), null, "has " + r.size()
            + " fields, not as many as the header");
      }
      String id = r.get("review_id").strip();
      String record = "row " + r.getRecordNumber() + " (review id " + id + ")";
      CSVRecord unit = units.get(id);
      if (unit == null) {
        throw new StudyInputException(file.toString(), record, "review_id", "not in the sample's key " + key);
      }
      Map<String, Integer> scores = new LinkedHashMap<>();
      int blank = 0;
      for (PipelineDefinition.Criterion c : criteria) {
        String v = r.get(c.name()).strip();
        if (v.isEmpty()) {
          blank++;
          continue;
        }
        int score;
        try {
          score = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new StudyInputException(file.toString(), record, c.name(), "not an integer: " + v);
        }
        if (score < c.min() || score > c.max()) {
          throw new StudyInputException(file.toString(), record, c.name(),
              score + " outside the rubric's " + c.min() + ".." + c.max());
        }
        scores.put(c.name(), score);
      }
      if (blank == criteria.size()) {
        continue; // not reviewed (yet)
      }
      if (blank > 0) {
        String missing = criteria.stream().map(PipelineDefinition.Criterion::name)
            .filter(n -> !scores.containsKey(n)).findFirst().orElseThrow();
        throw new StudyInputException(file.toString(), record, missing,
            "is empty while other criteria are graded: grade every criterion or none");
      }
      Long before = seen.put(id, r.getRecordNumber());
      if (before != null) {
        throw new StudyInputException(file.toString(), record, "review_id", "graded twice (also row " + before + ")");
      }
      int epoch;
      int question;
      try {
        question = Integer.parseInt(unit.get("question_id"));
        epoch = Integer.parseInt(unit.get("epoch"));
      } catch (NumberFormatException e) {
        throw new StudyInputException(key.toString(), "review id " + id, "question_id", "not an integer");
      }
      out.add(new Grade(id, unit.get("condition"), unit.get("model"), question, epoch, scores,
          r.isMapped("notes") ? r.get("notes") : ""));
    }
    if (out.isEmpty()) {
      throw new StudyInputException(file.toString(), null, null, "no graded row (every criterion column is empty)");
    }
    return out;
  }

  /** A row of a recorded grades file, as written there: its ids are matched as text. */
  private record RowKey(String model, String questionId, String epoch) {}

  /**
   * Writes the grades as {@code <dir>/<condition dir>.csv} in the study's grades layout: each row is
   * the study's recorded row of that response (its category, time and length) with the person's
   * scores, their total and notes in place of the judge's.
   */
  public static void write(String study, String dir, List<Grade> grades, PipelineDefinition def) throws IOException {
    Map<String, List<Grade>> byCondition = new TreeMap<>();
    grades.forEach(g -> byCondition.computeIfAbsent(g.condition(), k -> new ArrayList<>()).add(g));
    List<String> criteria = ReviewFiles.criteria(def);
    for (Map.Entry<String, List<Grade>> e : byCondition.entrySet()) {
      PipelineDefinition.Condition c = def.condition(e.getKey()).orElseThrow();
      String recorded = dev.cltbench.study.StudyCodec.grades(study, c.directory());
      Map<RowKey, Grade> wanted = new HashMap<>();
      e.getValue().forEach(g -> wanted.put(
          new RowKey(g.model(), String.valueOf(g.questionId()), String.valueOf(g.epoch())), g));
      try (Reader in = dev.cltbench.study.StudyCodec.reader(recorded);
          CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
          Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(
              dev.cltbench.study.StudyCodec.create(dir, c.directory() + ".csv"), StandardCharsets.UTF_8));
          CSVPrinter p = ReviewFiles.csv().print(w)) {
        List<String> header = parser.getHeaderNames();
        p.printRecord(header);
        for (CSVRecord r : parser) {
          String epoch = r.isMapped("epoch") ? r.get("epoch").strip() : "0";
          Grade g = wanted.remove(new RowKey(r.get("model"), r.get("question_id").strip(), epoch));
          if (g == null) {
            continue;
          }
          List<String> row = new ArrayList<>();
          int total = g.scores().values().stream().mapToInt(Integer::intValue).sum();
          for (String h : header) {
            row.add(criteria.contains(h) ? String.valueOf(g.scores().get(h))
                : h.equals("total") ? String.valueOf(total)
                : h.equals("notes") ? g.notes()
                : r.get(h));
          }
          p.printRecord(row);
        }
        if (!wanted.isEmpty()) {
          Grade g = wanted.values().iterator().next();
          throw new StudyInputException(recorded, null, null, "has no grade of " + g.model()
              + " question " + g.questionId() + " (review id " + g.reviewId() + "): is the key of another study?");
        }
      }
    }
  }

  private static List<String> concat(String first, List<PipelineDefinition.Criterion> criteria) {
    List<String> out = new ArrayList<>(List.of(first));
    criteria.forEach(c -> out.add(c.name()));
    return out;
  }

  private static List<CSVRecord> records(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new StudyInputException(file.toString(), null, null, "file not found");
    }
    try (Reader in = Utf8.reader(Files.newInputStream(file), file.toString());
        CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
      return parser.getRecords();
    } catch (java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
      throw new StudyInputException(file.toString(), null, null, "malformed CSV: " + e.getMessage());
    }
  }
}
