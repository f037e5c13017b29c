package dev.cltbench.transforms;

import dev.cltbench.report.RowSchema;
import dev.cltbench.study.GradeRecord;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Score;
import dev.cltbench.study.StudyInputException;
import dev.cltbench.study.StudyLayout;
import dev.cltbench.study.StudySubset;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads every {@code grades/<condition dir>.csv} into {@link GradeRecord}s. Notes are quoted CSV that
 * may hold commas, quotes, newlines and Cyrillic, so each file is parsed whole by commons-csv rather
 * than split into lines; every criterion of the rubric is a column, range-checked against the rubric.
 */
public final class ReadStudyGrades extends PTransform<PBegin, PCollection<GradeRecord>> {
  /**
   * The columns of a grades file under {@code rubric}, defined once for the writer
   * ({@link WriteStudyLayout}) and this reader: the keys, one column per criterion in the rubric's
   * order (the published study's: accuracy, fluency, completeness), the total, the answer's time (three
   * decimals, as the published files) and length, the judge's notes and, with epochs, the epoch. A
   * record's condition is its file and its source where it was read, so neither is a column; this
   * reader parses the text itself, to name the file, line and field of a bad value.
   */
  public static RowSchema<GradeRecord> schema(PipelineDefinition.Rubric rubric, boolean epochs) {
    List<String> criteria = List.copyOf(rubric.criterionNames());
    List<RowSchema.Column<GradeRecord>> columns = new ArrayList<>();
    columns.add(RowSchema.column("question_id", g -> (long) g.questionId()));
    columns.add(RowSchema.column("category", GradeRecord::category));
    columns.add(RowSchema.column("model", GradeRecord::model));
    for (String c : criteria) {
      columns.add(RowSchema.column(c, g -> (long) g.score().get(c)));
    }
    columns.add(RowSchema.column("total", g -> (long) g.total()));
    columns.add(RowSchema.column("response_time", g -> String.format(Locale.ROOT, "%.3f", g.responseTime())));
    columns.add(RowSchema.column("response_length", g -> (long) g.responseLength()));
    columns.add(RowSchema.column("notes", GradeRecord::notes));
    if (epochs) {
      columns.add(RowSchema.column("epoch", g -> (long) g.epoch()));
    }
    return RowSchema.of("grades", "grades", columns, c -> {
      Map<String, Integer> scores = new LinkedHashMap<>();
      for (String criterion : criteria) {
        scores.put(criterion, Math.toIntExact(c.count(criterion)));
      }
      return new GradeRecord("", c.text("model"), Math.toIntExact(c.count("question_id")), c.text("category"),
          new Score(scores), Double.parseDouble(c.text("response_time")),
          Math.toIntExact(c.count("response_length")), c.text("notes"), "",
          epochs ? Math.toIntExact(c.count("epoch")) : 0);
    });
  }

  /** The columns of a grades file under {@code rubric}. */
  public static List<String> header(PipelineDefinition.Rubric rubric) {
    return schema(rubric, false).columns();
  }

  /** The grades of a study whose tuples were answered several times (epochs): one more column. */
  public static List<String> headerWithEpoch(PipelineDefinition.Rubric rubric) {
    return schema(rubric, true).columns();
  }

  private final String study;
  private final PipelineDefinition definition;
  private final StudySubset subset;

  public ReadStudyGrades(String study, PipelineDefinition definition) {
    this(study, definition, StudySubset.all());
  }

  /** Reads the grades of {@code subset} only; rows outside it are checked as far as their model, then skipped. */
  public ReadStudyGrades(String study, PipelineDefinition definition, StudySubset subset) {
    super("ReadStudyGrades");
    this.study = study;
    this.definition = definition;
    this.subset = subset;
  }

  @Override
  public PCollection<GradeRecord> expand(PBegin input) {
    return input
        .apply(new MatchFilesSpread("GradeFiles", StudyLayout.gradesPattern(study)))
        .apply("ParseGradeFiles", ParDo.of(new ParseGradesFileFn(definition, subset)))
        .setCoder(GradeRecord.coder());
  }

  static final class ParseGradesFileFn extends DoFn<FileIO.ReadableFile, GradeRecord> {
    private final PipelineDefinition definition;
    private final StudySubset subset;
    private final Counter gradesRead = Metrics.counter("report", "grades_read");

    ParseGradesFileFn(PipelineDefinition definition, StudySubset subset) {
      this.definition = definition;
      this.subset = subset;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<GradeRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      String name = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.csv$", "");
      Map<String, String> conditions = definition.conditionIdsByDirectory();
      String condition = conditions.get(name);
      if (condition == null && subset.conditions() != null) {
        return;
      }
      if (condition == null) {
        throw new StudyInputException(path, null, null,
            "unknown condition " + name + " (known: " + conditions.keySet() + ")");
      }
      if (!subset.includesCondition(condition)) {
        return;
      }
      CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
      // Malformed UTF-8 is an error, not a silent replacement character.
      try (Reader reader = dev.cltbench.study.Utf8.reader(Channels.newInputStream(file.open()), path);
          CSVParser parser = format.parse(reader)) {
        List<String> plain = header(definition.rubric());
        List<String> withEpoch = headerWithEpoch(definition.rubric());
        boolean epochs = parser.getHeaderNames().equals(withEpoch);
        if (!parser.getHeaderNames().equals(plain) && !epochs) {
          throw new StudyInputException(path, "header", null,
              "expected columns " + plain + ", found " + parser.getHeaderNames());
        }
        List<String> header = epochs ? withEpoch : plain;
        List<PipelineDefinition.Criterion> criteria = definition.rubric().criteria();
        for (CSVRecord row : parser) {
          String record = "line " + parser.getCurrentLineNumber();
          if (!row.isConsistent()) {
            throw new StudyInputException(path, record, null,
                "has " + row.size() + " fields, expected " + header.size());
          }
          String model = row.get("model");
          if (!subset.includesModel(model)) {
            continue;
          }
          if (definition.model(model).isEmpty()) {
            throw new StudyInputException(path, record, "model", "unknown model " + model);
          }
          int id = integer(row, "question_id", path, record, 1, Integer.MAX_VALUE);
          java.util.LinkedHashMap<String, Integer> scores = new java.util.LinkedHashMap<>();
          int sum = 0;
          for (PipelineDefinition.Criterion c : criteria) {
            int v = integer(row, c.name(), path, record, c.min(), c.max());
            scores.put(c.name(), v);
            sum += v;
          }
          int total = integer(row, "total", path, record, Integer.MIN_VALUE, Integer.MAX_VALUE);
          if (total != sum) {
            throw new StudyInputException(path, record, "total",
                total + " is not " + String.join(" + ", definition.rubric().criterionNames()) + " = " + sum);
          }
          double time;
          try {
            time = Double.parseDouble(row.get("response_time"));
          } catch (NumberFormatException e) {
            throw new StudyInputException(path, record, "response_time",
                "not a number: " + row.get("response_time"));
          }
          if (!(time >= 0) || Double.isInfinite(time)) {
            throw new StudyInputException(path, record, "response_time", "must be >= 0");
          }
          int length = integer(row, "response_length", path, record, 0, Integer.MAX_VALUE);
          String category = row.get("category");
          if (category.isBlank()) {
            throw new StudyInputException(path, record, "category", "is empty");
          }
          int epoch = epochs ? integer(row, "epoch", path, record, 0, definition.epochsOrDefault() - 1) : 0;
          if (!subset.includesQuestion(id)) {
            continue;
          }
          gradesRead.inc();
          out.output(new GradeRecord(condition, model, id, category, new Score(scores), time, length,
              row.get("notes"), path + ":" + parser.getCurrentLineNumber(), epoch));
        }
      } catch (java.io.UncheckedIOException | IllegalStateException e) {
        throw new StudyInputException(path, null, null, "malformed CSV: " + e.getMessage());
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new StudyInputException(path, null, null, "not valid UTF-8: " + e.getMessage());
      }
    }

    private static int integer(CSVRecord row, String field, String path, String record, int min,
        int max) {
      String v = row.get(field).strip();
      int value;
      try {
        value = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new StudyInputException(path, record, field, "not an integer: '" + v + "'");
      }
      if (value < min || value > max) {
        throw new StudyInputException(path, record, field,
            value + " is out of range " + min + ".." + max);
      }
      return value;
    }
  }
}
