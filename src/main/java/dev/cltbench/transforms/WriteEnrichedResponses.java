package dev.cltbench.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.LanguageFacts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
 * Writes one enriched JSON line per response. Each (condition, model, block of question ids) group
 * becomes one part file, sorted by question and named by the study's order, so that concatenating the
 * parts by name gives the same {@code responses.jsonl} on every runner (TextIO would write lines in
 * arrival order). Blocks bound what one worker sorts in memory, however many questions a study has.
 */
public final class WriteEnrichedResponses
    extends PTransform<PCollection<EvaluatedResponse>, PCollection<Void>> {
  /** Question ids per part file (the published study has 50). */
  static final int BLOCK = 1000;

  private final String partsDirectory;
  private final StudyOrder order;

  public WriteEnrichedResponses(String partsDirectory, StudyOrder order) {
    super("WriteEnrichedResponses");
    this.partsDirectory = partsDirectory;
    this.order = order;
  }

  @Override
  /** @return empty; done when every part is written (what the page waits on) */
  public PCollection<Void> expand(PCollection<EvaluatedResponse> responses) {
    return responses
        .apply("KeyByConditionModel", ParDo.of(new DoFn<EvaluatedResponse, KV<String, EvaluatedResponse>>() {
          @ProcessElement
          public void process(@Element EvaluatedResponse r, OutputReceiver<KV<String, EvaluatedResponse>> out) {
            out.output(KV.of(order.condition(r.condition()) + "__" + order.model(r.model()) + "__"
                + String.format(java.util.Locale.ROOT, "%09d", r.questionId() / BLOCK), r));
          }
        }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EvaluatedResponse.coder()))
        .apply("GroupByConditionModel", GroupByKey.create())
        .apply("WritePart", ParDo.of(new WritePartFn(partsDirectory)));
  }

  static final class WritePartFn extends DoFn<KV<String, Iterable<EvaluatedResponse>>, Void> {
    private final String partsDirectory;
    private transient ObjectMapper mapper;

    WritePartFn(String partsDirectory) {
      this.partsDirectory = partsDirectory;
    }

    @Setup
    public void setup() {
      mapper = new ObjectMapper();
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<EvaluatedResponse>> group) throws IOException {
      List<EvaluatedResponse> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      rows.sort(Comparator.comparingInt(EvaluatedResponse::questionId).thenComparingInt(EvaluatedResponse::epoch));
      String name = "part-" + group.getKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl";
      ResourceId file = FileSystems.matchNewResource(partsDirectory, true)
          .resolve(name, org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
        for (EvaluatedResponse r : rows) {
          out.write(mapper.writeValueAsBytes(toJson(mapper, r)));
          out.write('\n');
        }
      }
    }
  }

  /** The enriched record of one response (field order fixed, for byte-identical output). */
  public static ObjectNode toJson(ObjectMapper mapper, EvaluatedResponse r) {
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
    o.put("final_answer", r.evaluatedText());
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
