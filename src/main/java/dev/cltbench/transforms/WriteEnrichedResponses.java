package dev.cltbench.transforms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.ConditionType;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.LanguageFacts;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes one enriched JSON line per response. Each (condition, model) cell becomes one part file,
 * sorted by question and epoch and named by the study's order, so that concatenating the parts by name
 * gives the same {@code responses.jsonl} on every runner (TextIO would write lines in arrival order).
 * The responses arrive without their texts ({@link ReadResponseFacts}); each part reads its cell's
 * results file once more for the final answers, so what one worker holds is one results file's final
 * answers, and no GroupByKey carries a text of an answer.
 */
public final class WriteEnrichedResponses
    extends PTransform<PCollection<EvaluatedResponse>, PCollection<Void>> {
  private final String partsDirectory;
  private final StudyOrder order;
  private final String study;
  private final PipelineDefinition definition;

  /** {@code definition} knows the study's condition directories, {@code study} is where they are. */
  public WriteEnrichedResponses(String partsDirectory, StudyOrder order, String study,
      PipelineDefinition definition) {
    super("WriteEnrichedResponses");
    this.partsDirectory = partsDirectory;
    this.order = order;
    this.study = study;
    this.definition = definition;
  }

  @Override
  /** @return empty; done when every part is written (what the page waits on) */
  public PCollection<Void> expand(PCollection<EvaluatedResponse> responses) {
    return responses
        .apply("KeyByShard", ParDo.of(new KeyByShardFn(order, Shards.of(responses.getPipeline().getOptions()))))
        .setCoder(KvCoder.of(VarIntCoder.of(), EvaluatedResponse.coder()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("WriteParts", ParDo.of(new WritePartsFn(partsDirectory, study, definition, order)));
  }

  /** The name of a cell's part: its condition's and model's places in the study's order. */
  static String cell(StudyOrder order, EvaluatedResponse r) {
    return order.condition(r.condition()) + "__" + order.model(r.model());
  }

  /** Each response under the shard ({@link Shards}) of its cell: a cell's part is written whole by one worker. */
  static final class KeyByShardFn extends DoFn<EvaluatedResponse, KV<Integer, EvaluatedResponse>> {
    private final StudyOrder order;
    private final Shards.Of<String> shards;

    KeyByShardFn(StudyOrder order, int shards) {
      this.order = order;
      this.shards = new Shards.Of<>(StringUtf8Coder.of(), shards);
    }

    @ProcessElement
    public void process(@Element EvaluatedResponse r, OutputReceiver<KV<Integer, EvaluatedResponse>> out) {
      out.output(KV.of(shards.of(cell(order, r)), r));
    }
  }

  /** A shard's cells, each written to its part. */
  static final class WritePartsFn extends DoFn<KV<Integer, Iterable<EvaluatedResponse>>, Void> {
    private final StudyOrder order;
    private final PartWriter part;

    WritePartsFn(String partsDirectory, String study, PipelineDefinition definition, StudyOrder order) {
      this.order = order;
      this.part = new PartWriter(partsDirectory, study, definition);
    }

    @Setup
    public void setup() {
      part.setup();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<EvaluatedResponse>> shard) throws IOException {
      Map<String, List<EvaluatedResponse>> cells = new java.util.TreeMap<>();
      shard.getValue().forEach(r -> cells.computeIfAbsent(cell(order, r), c -> new ArrayList<>()).add(r));
      for (Map.Entry<String, List<EvaluatedResponse>> c : cells.entrySet()) {
        part.write(c.getKey(), c.getValue());
        c.setValue(List.of()); // written: not held while the shard's other cells are
      }
    }
  }

  /** Writes one cell's part; held by {@link WritePartsFn}, set up with it. */
  static final class PartWriter implements java.io.Serializable {
    private final String partsDirectory;
    private final String study;
    private final PipelineDefinition definition;
    private final FinalAnswerExtractor extractor;
    private transient ObjectMapper mapper;

    PartWriter(String partsDirectory, String study, PipelineDefinition definition) {
      this.partsDirectory = partsDirectory;
      this.study = study;
      this.definition = definition;
      this.extractor = definition.finalAnswerExtractor(); // compiles the markers' pattern: once
    }

    void setup() {
      mapper = new ObjectMapper();
    }

    /**
     * The part of cell {@code cellName}: {@code rows} in question order (sorted in place: the caller's
     * own list), each with its final answer.
     */
    void write(String cellName, List<EvaluatedResponse> rows) throws IOException {
      rows.sort(Comparator.comparingInt(EvaluatedResponse::questionId).thenComparingInt(EvaluatedResponse::epoch));
      EvaluatedResponse first = rows.get(0);
      Set<Long> wanted = new HashSet<>();
      rows.forEach(r -> wanted.add(JoinResponsesWithGrades.JoinFn.unit(r.questionId(), r.epoch())));
      PipelineDefinition.Condition condition = definition.condition(first.condition()).orElseThrow();
      String source = StudyLayout.resultsFile(study, condition.directory(), first.model());
      Map<Long, String> answers = finalAnswers(source, condition.conditionType(), wanted);
      String name = "part-" + cellName.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl";
      ResourceId file = FileSystems.matchNewResource(partsDirectory, true)
          .resolve(name, org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
        for (EvaluatedResponse r : rows) {
          String answer = answers.get(JoinResponsesWithGrades.JoinFn.unit(r.questionId(), r.epoch()));
          if (answer == null) {
            throw new IllegalStateException(source + " no longer holds question " + r.questionId()
                + (r.epoch() > 0 ? " epoch " + r.epoch() : "") + ": did it change while the report ran?");
          }
          out.write(mapper.writeValueAsBytes(toJson(mapper, r, answer)));
          out.write('\n');
        }
      }
    }

    /**
     * The graded text of each wanted (question, epoch) of {@code source}, streamed: the reader
     * ({@link ReadResponseFacts}) has checked the file, so this reads only the three fields it needs.
     */
    private Map<Long, String> finalAnswers(String source, ConditionType type, Set<Long> wanted)
        throws IOException {
      Map<Long, String> answers = new HashMap<>();
      try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(source, false)));
          JsonParser parser = mapper.getFactory().createParser(in)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new IllegalStateException(source + " is no longer a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (!field.equals("responses") || value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            continue;
          }
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            int question = -1;
            int epoch = 0;
            String response = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String f = parser.currentName();
              parser.nextToken();
              switch (f) {
                case "question_id" -> question = parser.getIntValue();
                case "epoch" -> epoch = parser.getIntValue();
                case "response" -> response = parser.getText();
                default -> parser.skipChildren();
              }
            }
            long unit = JoinResponsesWithGrades.JoinFn.unit(question, epoch);
            if (response != null && wanted.contains(unit)) {
              answers.put(unit, type.gradedFromRecorded(response, extractor).text());
            }
          }
        }
      }
      return answers;
    }
  }

  /** The enriched record of one response (field order fixed, for byte-identical output). */
  public static ObjectNode toJson(ObjectMapper mapper, EvaluatedResponse r, String finalAnswer) {
    ObjectNode o = mapper.createObjectNode();
    o.put("condition", r.condition());
    o.put("condition_type", r.conditionType());
    o.put("language", r.language());
    o.put("model", r.model());
    o.put("family", r.family());
    o.put("question_id", r.questionId());
    if (r.epoch() > 0) {
      o.put("epoch", r.epoch()); // repeats after the first (--epochs)
    }
    o.put("category", r.category());
    r.score().values().forEach(o::put);
    o.put("total", r.total());
    o.put("response_time_s", r.responseTimeSeconds());
    o.put("extraction", r.extraction());
    o.put("words", r.words());
    o.put("recorded_words", r.recordedWords());
    LanguageFacts f = r.languageFacts();
    if (f != null) {
      o.put("expected_language", f.expected());
      o.put("detected_language", f.detected());
      o.put("language_confidence", f.confidence());
      o.put("language_decided_by", f.decidedBy());
      o.put("wrong_language", f.wrongLanguage());
      o.put("cyrillic_share", f.cyrillicShare());
      o.put("code_switch_share", f.codeSwitchShare());
      o.put("english_leak_words", f.englishLeakWords());
      if (f.allStepsShown() != null) {
        o.put("all_steps_shown", f.allStepsShown());
      }
    }
    o.put("final_answer", finalAnswer);
    o.put("judge_notes", r.notes());
    // Live runs record what the provider said of the answer; recorded studies may not.
    if (r.finishReason() != null) {
      o.put("finish_reason", r.finishReason());
    }
    if (r.modelVersion() != null) {
      o.put("model_version", r.modelVersion());
    }
    return o;
  }


}
