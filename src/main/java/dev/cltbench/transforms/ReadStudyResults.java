package dev.cltbench.transforms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.ResponseRecord;
import dev.cltbench.study.StudyInputException;
import dev.cltbench.study.StudyLayout;
import dev.cltbench.study.StudySubset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileIO;
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
 * A file is one element, so files parse in parallel, and is parsed as a stream so that memory does not
 * grow with a file's size; a bad field fails the run naming file, record and field.
 */
public final class ReadStudyResults extends PTransform<PBegin, PCollection<ResponseRecord>> {
  private final String study;
  private final PipelineDefinition definition;
  private final Questions questions;
  private final StudySubset subset;

  public ReadStudyResults(String study, PipelineDefinition definition, Questions questions) {
    this(study, definition, questions, StudySubset.all());
  }

  /**
   * Reads the files and responses of {@code subset} only; files and responses outside it are checked
   * against {@code definition} (the whole study) as far as their place, then skipped.
   */
  public ReadStudyResults(String study, PipelineDefinition definition, Questions questions, StudySubset subset) {
    super("ReadStudyResults");
    this.study = study;
    this.definition = definition;
    this.questions = questions;
    this.subset = subset;
  }

  @Override
  public PCollection<ResponseRecord> expand(PBegin input) {
    return files(input, study)
        .apply("ParseResultFiles", ParDo.of(new ParseResultsFileFn(definition, questions, subset)))
        .setCoder(ResponseRecord.coder());
  }

  /** The study's results files, one element each (a study without any is an error). */
  static PCollection<FileIO.ReadableFile> files(PBegin input, String study) {
    return input.apply(new MatchFilesSpread("ResultFiles", StudyLayout.resultsPattern(study)));
  }

  static final class ParseResultsFileFn extends DoFn<FileIO.ReadableFile, ResponseRecord> {
    private final PipelineDefinition definition;
    private final Questions questions;
    private final StudySubset subset;
    private final Counter responsesRead = Metrics.counter("report", "responses_read");
    private transient ObjectMapper mapper;

    ParseResultsFileFn(PipelineDefinition definition, Questions questions, StudySubset subset) {
      this.definition = definition;
      this.questions = questions;
      this.subset = subset;
    }

    @Setup
    public void setup() {
      mapper = new ObjectMapper();
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<ResponseRecord> out)
        throws IOException {
      parse(file, out::output);
    }

    /** Checks {@code file} and hands each of its responses in the subset to {@code out}, one at a time. */
    void parse(FileIO.ReadableFile file, java.util.function.Consumer<ResponseRecord> out) throws IOException {
      String path = file.getMetadata().resourceId().toString();
      String[] parts = path.split("/");
      String directory = parts[parts.length - 2];
      String fileModel = parts[parts.length - 1].replaceFirst("\\.json$", "");
      Map<String, String> conditions = definition.conditionIdsByDirectory();
      String condition = conditions.get(directory);
      // A subset ignores what it does not select, even files the pipeline file does not know.
      if (condition == null && subset.conditions() != null
          || definition.model(fileModel).isEmpty() && subset.models() != null) {
        return;
      }
      if (condition == null) {
        throw new StudyInputException(path, null, null,
            "unknown condition directory " + directory + " (known: " + conditions.keySet() + ")");
      }
      PipelineDefinition.Condition spec = definition.condition(condition).orElseThrow();
      if (definition.model(fileModel).isEmpty()) {
        throw new StudyInputException(path, null, null, "unknown model " + fileModel);
      }
      if (!subset.includesCondition(condition) || !subset.includesModel(fileModel)) {
        return;
      }
      // Streamed: only one response is held at a time, however many questions a file has.
      String questionField = questionField(spec);
      Set<Long> seen = new HashSet<>();
      Set<String> checked = new HashSet<>();
      boolean sawResponses = false;
      try (InputStream in = Channels.newInputStream(file.open());
          JsonParser parser = mapper.getFactory().createParser(in)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new StudyInputException(path, null, null, "expected a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.getCurrentName();
          parser.nextToken();
          switch (field) {
            case "model" -> expectText(parser, field, fileModel, path, checked);
            case "condition" -> expectText(parser, field, condition, path, checked);
            case "language" -> expectText(parser, field, spec.language(), path, checked);
            case "responses" -> {
              if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw new StudyInputException(path, null, "responses", "missing or not an array");
              }
              sawResponses = true;
              int i = 0;
              while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonNode r = mapper.readTree(parser);
                ResponseRecord record = record(r, i++, path, condition, fileModel, questionField, seen);
                if (subset.includesQuestion(record.questionId())) {
                  responsesRead.inc();
                  out.accept(record);
                }
              }
            }
            default -> parser.skipChildren();
          }
        }
      } catch (StudyInputException e) {
        throw e;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new StudyInputException(path, null, null, "malformed JSON: " + dev.cltbench.study.Utf8.describe(e));
      } catch (IOException e) {
        throw new StudyInputException(path, null, null, "malformed JSON: " + e.getMessage());
      }
      for (String field : List.of("model", "condition", "language")) {
        if (!checked.contains(field)) {
          throw new StudyInputException(path, null, field, "missing or not a string");
        }
      }
      if (!sawResponses) {
        throw new StudyInputException(path, null, "responses", "missing or not an array");
      }
    }

    private ResponseRecord record(JsonNode r, int i, String path, String condition, String fileModel,
        String questionField, Set<Long> seen) {
      String record = "responses[" + i + "]";
      if (r == null || !r.isObject()) {
        throw new StudyInputException(path, record, null, "expected a JSON object");
      }
      JsonNode idNode = r.get("question_id");
      if (idNode == null || !idNode.isIntegralNumber()) {
        throw new StudyInputException(path, record, "question_id", "missing or not an integer");
      }
      int id = idNode.asInt();
      record = record + " (question_id " + id + ")";
      // Repeats of a tuple (epochs) are told apart by "epoch"; without it a response is epoch 0.
      JsonNode epochNode = r.get("epoch");
      if (epochNode != null && (!epochNode.isIntegralNumber() || epochNode.asInt() < 0
          || epochNode.asInt() >= definition.epochsOrDefault())) {
        throw new StudyInputException(path, record, "epoch", "must be an integer 0.."
            + (definition.epochsOrDefault() - 1) + " (the pipeline's epochs; give --epochs=K for a study "
            + "answered K times), was " + epochNode);
      }
      int epoch = epochNode == null ? 0 : epochNode.asInt();
      if (!seen.add(id * 1024L + epoch)) {
        throw new StudyInputException(path, record, "question_id", epoch == 0 ? "duplicate question"
            : "duplicate question and epoch " + epoch);
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
      return new ResponseRecord(condition, fileModel, id, category, questionText,
          response.asText(), time.asDouble(), path, epoch, optionalText(r, "finish_reason"),
          optionalText(r, "model_version"));
    }

    /** A field live runs write and recorded studies may lack. */
    private static String optionalText(JsonNode r, String field) {
      JsonNode v = r.get(field);
      return v != null && v.isTextual() ? v.asText() : null;
    }

    private String questionField(PipelineDefinition.Condition spec) {
      if (spec.questionField() != null) {
        return spec.questionField();
      }
      return definition.language(spec.language()).orElseThrow().questionField();
    }

    private static void expectText(JsonParser parser, String field, String expected, String path,
        Set<String> checked) throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        throw new StudyInputException(path, null, field, "missing or not a string");
      }
      String v = parser.getText();
      if (!v.equals(expected)) {
        throw new StudyInputException(path, null, field,
            "is " + v + " but the file's place in the study says " + expected);
      }
      checked.add(field);
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
