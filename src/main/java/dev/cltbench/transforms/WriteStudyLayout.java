package dev.cltbench.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.Judgment;
import dev.cltbench.judge.Panel;
import dev.cltbench.study.GradeRecord;
import dev.cltbench.study.CellKey;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.StudyCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes graded tuples in the published study's layout, so that {@code report} reads a live run
 * exactly like the published study: {@code results/<condition dir>/<model>.json} (with every
 * intermediate text under {@code steps}), {@code grades/<condition dir>.csv} (the panel's grade) and
 * {@code judges/<judge>/grades/<condition dir>.csv} (each judge's own verdicts, for agreement).
 */
public final class WriteStudyLayout extends PTransform<PCollection<EvaluationTuple>, PDone> {
  private final PipelineDefinition definition;
  private final String directory;
  private final StudyOrder order;

  public WriteStudyLayout(PipelineDefinition definition, String directory, StudyOrder order) {
    super("WriteStudyLayout");
    this.definition = definition;
    this.directory = directory;
    this.order = order;
  }

  @Override
  public PDone expand(PCollection<EvaluationTuple> graded) {
    graded
        .apply("KeyByConditionModel", ParDo.of(new DoFn<EvaluationTuple, KV<CellKey, EvaluationTuple>>() {
          @ProcessElement
          public void process(@Element EvaluationTuple t, OutputReceiver<KV<CellKey, EvaluationTuple>> out) {
            out.output(KV.of(new CellKey(t.condition(), t.model()), t));
          }
        }))
        .setCoder(KvCoder.of(CellKey.coder(), EvaluationTuple.coder()))
        .apply("GroupResultsFile", GroupByKey.create())
        .apply("WriteResultsFile", ParDo.of(new WriteResultsFn(definition, directory)));
    graded
        .apply("KeyByCondition", ParDo.of(new DoFn<EvaluationTuple, KV<String, EvaluationTuple>>() {
          @ProcessElement
          public void process(@Element EvaluationTuple t, OutputReceiver<KV<String, EvaluationTuple>> out) {
            out.output(KV.of(t.condition(), t));
          }
        }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EvaluationTuple.coder()))
        .apply("GroupGradesFile", GroupByKey.create())
        .apply("WriteGradesFiles", ParDo.of(new WriteGradesFn(definition, directory, order)));
    return PDone.in(graded.getPipeline());
  }

  static void write(String directory, String relative, byte[] content) throws IOException {
    StudyCodec.write(directory, relative, content);
  }

  static final class WriteResultsFn extends DoFn<KV<CellKey, Iterable<EvaluationTuple>>, Void> {
    private final PipelineDefinition definition;
    private final String directory;

    WriteResultsFn(PipelineDefinition definition, String directory) {
      this.definition = definition;
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element KV<CellKey, Iterable<EvaluationTuple>> group) throws IOException {
      List<EvaluationTuple> tuples = new ArrayList<>();
      group.getValue().forEach(tuples::add);
      tuples.sort(Comparator.comparingInt(EvaluationTuple::questionId).thenComparingInt(EvaluationTuple::epoch));
      EvaluationTuple first = tuples.get(0);
      boolean epochs = definition.epochsOrDefault() > 1;
      PipelineDefinition.Condition c = definition.condition(first.condition()).orElseThrow();
      PipelineDefinition.ModelSpec m = definition.model(first.model()).orElseThrow();
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = mapper.createObjectNode();
      root.put("model", m.name());
      root.put("model_id", m.modelId());
      root.put("condition", c.id());
      root.put("condition_description", c.description());
      root.put("language", c.language());
      root.put("condition_type", c.type());
      root.put("system_prompt_used", c.systemPrompt());
      root.put("generated_by", "cltbench run");
      // How cut answers were treated: with "grade", answers cut at max_tokens are among the graded ones.
      root.put("on_truncation", m.gradesTruncated() ? "grade" : "fail");
      ArrayNode responses = root.putArray("responses");
      for (EvaluationTuple t : tuples) {
        ObjectNode r = responses.addObject();
        r.put("question_id", t.questionId());
        if (epochs) {
          r.put("epoch", t.epoch());
        }
        r.put("category", t.category());
        r.put("question_text", t.questionText());
        r.put("response", RunSteps.responseOf(c, t));
        r.put("reference_answer", t.referenceAnswer());
        EvaluationTuple.Step answer = lastAnswer(t);
        if (answer != null && answer.finishReason() != null) {
          r.put("finish_reason", answer.finishReason());
        }
        if (answer != null && answer.modelVersion() != null) {
          r.put("model_version", answer.modelVersion());
        }
        if (answer != null && Boolean.TRUE.equals(answer.truncated())) {
          r.put("truncated", true);
        }
        long ms = 0;
        for (EvaluationTuple.Step s : t.steps()) {
          if (!s.stage().startsWith("judge")) {
            ms += s.latencyMs();
          }
        }
        r.put("response_time_seconds", ms / 1000.0);
        // Every call's text, judges' raw replies included, so a grade can be traced to what was said.
        ArrayNode steps = r.putArray("steps");
        for (EvaluationTuple.Step s : t.steps()) {
          if (s.reasoning() != null) {
            // The trace as a step of its own, before the answer it led to: never graded, identified
            // or counted as the answer (the call's step below holds the answer alone, and its tokens).
            ObjectNode trace = steps.addObject();
            trace.put("stage", s.stage() + EvaluationTuple.Step.REASONING_SUFFIX);
            trace.put("model", s.model());
            trace.put("output", s.reasoning());
            trace.put("reasoning_tokens", s.reasoningTokens());
          }
          ObjectNode o = steps.addObject();
          o.put("stage", s.stage());
          o.put("model", s.model());
          o.put("input", s.input());
          o.put("output", s.output());
          o.put("input_tokens", s.inputTokens());
          o.put("output_tokens", s.outputTokens());
          o.put("latency_ms", s.latencyMs());
          o.put("cached", s.cached());
          if (s.reasoningTokens() != 0) {
            o.put("reasoning_tokens", s.reasoningTokens());
          }
          if (s.billedInputTokens() != null || s.billedOutputTokens() != null) {
            o.put("billed_input_tokens", s.billedInput());
            o.put("billed_output_tokens", s.billedOutput());
          }
          if (s.finishReason() != null) {
            o.put("finish_reason", s.finishReason());
          }
          if (s.modelVersion() != null) {
            o.put("model_version", s.modelVersion());
          }
          if (s.attempts() != 0) {
            o.put("attempts", s.attempts());
          }
          if (Boolean.TRUE.equals(s.truncated())) {
            o.put("truncated", true);
          }
          if (s.failure() != null) {
            o.put("failure", s.failure());
          }
        }
      }
      byte[] json = (mapper.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
      write(directory, "results/" + c.directory() + "/" + m.name() + ".json", json);
    }
  }

  /** The last answer step of a tuple (the one its response is), or null. */
  static EvaluationTuple.Step lastAnswer(EvaluationTuple t) {
    EvaluationTuple.Step last = null;
    for (EvaluationTuple.Step s : t.steps()) {
      if (s.stage().equals(RunSteps.ANSWER)) {
        last = s;
      }
    }
    return last;
  }

  static final class WriteGradesFn extends DoFn<KV<String, Iterable<EvaluationTuple>>, Void> {
    private final PipelineDefinition definition;
    private final String directory;
    private final StudyOrder order;

    WriteGradesFn(PipelineDefinition definition, String directory, StudyOrder order) {
      this.definition = definition;
      this.directory = directory;
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<EvaluationTuple>> group) throws IOException {
      List<EvaluationTuple> tuples = new ArrayList<>();
      group.getValue().forEach(tuples::add);
      // The published files list question by question, models in the study's order.
      tuples.sort(Comparator.comparingInt(EvaluationTuple::questionId)
          .thenComparing(t -> order.model(t.model())).thenComparingInt(EvaluationTuple::epoch));
      boolean epochs = definition.epochsOrDefault() > 1;
      PipelineDefinition.Condition c = definition.condition(group.getKey()).orElseThrow();
      List<GradeRecord> panel = new ArrayList<>();
      java.util.Map<String, List<GradeRecord>> perJudge = new java.util.TreeMap<>();
      for (EvaluationTuple t : tuples) {
        Judgment g = Panel.combine(t.judgments());
        panel.add(grade(c, t, g));
        for (Judgment j : t.judgments()) {
          if (j.ok()) {
            perJudge.computeIfAbsent(j.judge(), k -> new ArrayList<>()).add(grade(c, t, j));
          }
        }
      }
      write(directory, "grades/" + c.directory() + ".csv", csv(panel, epochs));
      for (var e : perJudge.entrySet()) {
        write(directory, "judges/" + e.getKey() + "/grades/" + c.directory() + ".csv", csv(e.getValue(), epochs));
      }
    }

    /** The tuple's grade by {@code g}; its time is the answer's, without the judges' calls. */
    private static GradeRecord grade(PipelineDefinition.Condition c, EvaluationTuple t, Judgment g) {
      double seconds = 0;
      for (EvaluationTuple.Step s : t.steps()) {
        if (!s.stage().startsWith("judge")) {
          seconds += s.latencyMs() / 1000.0;
        }
      }
      return new GradeRecord(c.id(), t.model(), t.questionId(), t.category(), g.score(), seconds,
          FinalAnswerExtractor.countWords(t.evaluatedText()), g.notes(), "", t.epoch());
    }

    /** The published columns ({@link ReadStudyGrades#schema}); with epochs, one more (epoch) at the end. */
    private byte[] csv(List<GradeRecord> grades, boolean epochs) {
      return ReadStudyGrades.schema(definition.rubric(), epochs).table(grades).toCsv()
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
