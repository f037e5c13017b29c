package dev.cltbench.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.ResponseRecord;
import dev.cltbench.study.StudyInputException;
import dev.cltbench.study.StudyLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads every {@code results/<condition dir>/<model>.json} of a study into one {@link ResponseRecord}
 * per response, checking each file against the pipeline definition and the benchmark's questions.
 * A file is one element, so files parse in parallel; a bad field fails the run naming file, record and
 * field.
 */
public final class ReadStudyResults extends PTransform<PBegin, PCollection<ResponseRecord>> {
  private final String study;
  private final PipelineDefinition definition;
  private final Questions questions;

  public ReadStudyResults(String study, PipelineDefinition definition, Questions questions) {
    super("ReadStudyResults");
    this.study = study;
    this.definition = definition;
    this.questions = questions;
  }

  @Override
  public PCollection<ResponseRecord> expand(PBegin input) {
    return input
        .apply("MatchResultFiles",
            FileIO.match().filepattern(StudyLayout.resultsPattern(study))
                .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("ReadMatches", FileIO.readMatches())
        .apply("ParseResultFiles", ParDo.of(new ParseResultsFileFn(definition, questions)))
        .setCoder(ResponseRecord.coder());
  }

  static final class ParseResultsFileFn extends DoFn<FileIO.ReadableFile, ResponseRecord> {
    private final PipelineDefinition definition;
    private final Questions questions;
    private final Counter responsesRead = Metrics.counter("report", "responses_read");
    private transient ObjectMapper mapper;

    ParseResultsFileFn(PipelineDefinition definition, Questions questions) {
      this.definition = definition;
      this.questions = questions;
    }

    @Setup
    public void setup() {
      mapper = new ObjectMapper();
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<ResponseRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      String[] parts = path.split("/");
      String directory = parts[parts.length - 2];
      String fileModel = parts[parts.length - 1].replaceFirst("\\.json$", "");
      Map<String, String> conditions = definition.conditionIdsByDirectory();
      String condition = conditions.get(directory);
      if (condition == null) {
        throw new StudyInputException(path, null, null,
            "unknown condition directory " + directory + " (known: " + conditions.keySet() + ")");
      }
      PipelineDefinition.Condition spec = definition.condition(condition).orElseThrow();
      if (definition.model(fileModel).isEmpty()) {
        throw new StudyInputException(path, null, null, "unknown model " + fileModel);
      }
      JsonNode root;
      try (InputStream in = Channels.newInputStream(file.open())) {
        root = mapper.readTree(in);
      } catch (IOException e) {
        throw new StudyInputException(path, null, null, "malformed JSON: " + e.getMessage());
      }
      if (root == null || !root.isObject()) {
        throw new StudyInputException(path, null, null, "expected a JSON object");
      }
      expectText(root, "model", fileModel, path);
      expectText(root, "condition", condition, path);
      expectText(root, "language", spec.language(), path);
      JsonNode responses = root.get("responses");
      if (responses == null || !responses.isArray()) {
        throw new StudyInputException(path, null, "responses", "missing or not an array");
      }
      String questionField = questionField(spec);
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < responses.size(); i++) {
        JsonNode r = responses.get(i);
        String record = "responses[" + i + "]";
        JsonNode idNode = r.get("question_id");
        if (idNode == null || !idNode.isIntegralNumber()) {
          throw new StudyInputException(path, record, "question_id", "missing or not an integer");
        }
        int id = idNode.asInt();
        record = record + " (question_id " + id + ")";
        if (!seen.add(id)) {
          throw new StudyInputException(path, record, "question_id", "duplicate question");
        }
        Questions.Question q = questions.get(id);
        if (q == null) {
          throw new StudyInputException(path, record, "question_id", "unknown question " + id);
        }
        String category = text(r, "category", path, record);
        if (!category.equals(q.category())) {
          throw new StudyInputException(path, record, "category",
              "is " + category + " but the benchmark says " + q.category());
        }
        String questionText = text(r, "question_text", path, record);
        if (!questionText.equals(q.texts().get(questionField))) {
          throw new StudyInputException(path, record, "question_text",
              "differs from the benchmark's " + questionField + " text of question " + id);
        }
        JsonNode response = r.get("response");
        if (response == null || !response.isTextual()) {
          throw new StudyInputException(path, record, "response", "missing or not a string");
        }
        JsonNode time = r.get("response_time_seconds");
        if (time == null || !time.isNumber() || time.asDouble() < 0) {
          throw new StudyInputException(path, record, "response_time_seconds",
              "missing or not a non-negative number");
        }
        responsesRead.inc();
        out.output(new ResponseRecord(condition, fileModel, id, category, questionText,
            response.asText(), time.asDouble(), path));
      }
    }

    private String questionField(PipelineDefinition.Condition spec) {
      if (spec.questionField() != null) {
        return spec.questionField();
      }
      return definition.language(spec.language()).orElseThrow().questionField();
    }

    private static void expectText(JsonNode root, String field, String expected, String path) {
      JsonNode v = root.get(field);
      if (v == null || !v.isTextual()) {
        throw new StudyInputException(path, null, field, "missing or not a string");
      }
      if (!v.asText().equals(expected)) {
        throw new StudyInputException(path, null, field,
            "is " + v.asText() + " but the file's place in the study says " + expected);
      }
    }

    private static String text(JsonNode r, String field, String path, String record) {
      JsonNode v = r.get(field);
      if (v == null || !v.isTextual()) {
        throw new StudyInputException(path, record, field, "missing or not a string");
      }
      return v.asText();
    }
  }
}
