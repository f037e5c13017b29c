package dev.cltbench.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.Judgment;
import dev.cltbench.study.EvaluationTuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
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
 * The dead letters of a run, {@code failures.jsonl}: one line per tuple that could not be graded
 * (stage, provider, HTTP status, reason), and one line per judge verdict that failed on a tuple the
 * rest of the panel still graded ({@code "tuple_graded": true}). Sorted by tuple, so the file is the
 * same on every runner; written (possibly empty) on every run.
 */
public final class WriteFailures extends PTransform<PCollection<EvaluationTuple>, PDone> {
  private final String directory;

  public WriteFailures(String directory) {
    super("WriteFailures");
    this.directory = directory;
  }

  @Override
  public PDone expand(PCollection<EvaluationTuple> tuples) {
    tuples
        .apply("FailureLines", ParDo.of(new DoFn<EvaluationTuple, KV<String, String>>() {
          private transient ObjectMapper mapper;

          @Setup
          public void setup() {
            mapper = new ObjectMapper();
          }

          @ProcessElement
          public void process(@Element EvaluationTuple t, OutputReceiver<KV<String, String>> out)
              throws IOException {
            // One key for all lines: the file is small by nature (failures only) and must be sorted.
            if (t.failure() != null) {
              ObjectNode o = base(mapper, t);
              o.put("stage", t.failure().stage());
              o.put("provider", t.failure().provider());
              o.put("status", t.failure().status());
              o.put("reason", t.failure().reason());
              if (t.failure().kind() != null) {
                o.put("kind", t.failure().kind());
              }
              call(o, t.failure().call());
              o.put("tuple_graded", false);
              out.output(KV.of("failures", t.key() + "\u001f" + mapper.writeValueAsString(o)));
            } else {
              for (Judgment j : t.judgments()) {
                if (!j.ok()) {
                  ObjectNode o = base(mapper, t);
                  o.put("stage", RunSteps.JUDGE_PREFIX + j.judge());
                  o.put("reason", j.failure());
                  for (EvaluationTuple.Step s : t.steps()) {
                    if (s.failure() != null && s.stage().equals(RunSteps.JUDGE_PREFIX + j.judge())) {
                      o.put("kind", s.failure());
                      call(o, s);
                    }
                  }
                  o.put("tuple_graded", true);
                  out.output(KV.of("failures", t.key() + "|" + j.judge() + "\u001f"
                      + mapper.writeValueAsString(o)));
                }
              }
            }
          }
        }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("GatherFailures", GroupByKey.create())
        .apply("WriteFailuresFile", ParDo.of(new DoFn<KV<String, Iterable<String>>, Void>() {
          @ProcessElement
          public void process(@Element KV<String, Iterable<String>> all) throws IOException {
            List<String> lines = new ArrayList<>();
            all.getValue().forEach(lines::add);
            lines.sort(null);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (String l : lines) {
              buf.write(l.substring(l.indexOf('\u001f') + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
              buf.write('\n');
            }
            WriteStudyLayout.write(directory, "failures.jsonl", buf.toByteArray());
          }
        }));
    return PDone.in(tuples.getPipeline());
  }

  /** What the failed call used and said: billed even though it failed. */
  static void call(ObjectNode o, EvaluationTuple.Step c) {
    if (c == null) {
      return;
    }
    o.put("attempts", c.attempts());
    if (c.finishReason() != null) {
      o.put("finish_reason", c.finishReason());
    }
    if (c.modelVersion() != null) {
      o.put("model_version", c.modelVersion());
    }
    o.put("input_tokens", c.inputTokens());
    o.put("output_tokens", c.outputTokens());
    o.put("reasoning_tokens", c.reasoningTokens());
    if (c.billedInputTokens() != null || c.billedOutputTokens() != null) {
      o.put("billed_input_tokens", c.billedInput());
      o.put("billed_output_tokens", c.billedOutput());
    }
    if (c.output() != null) {
      o.put("cut_text", c.output()); // what a truncated answer said before it was cut
    }
  }

  static ObjectNode base(ObjectMapper mapper, EvaluationTuple t) {
    ObjectNode o = mapper.createObjectNode();
    o.put("condition", t.condition());
    o.put("model", t.model());
    o.put("question_id", t.questionId());
    if (t.epoch() != 0) {
      o.put("epoch", t.epoch());
    }
    return o;
  }
}
