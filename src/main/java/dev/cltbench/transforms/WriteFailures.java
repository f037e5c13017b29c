package dev.cltbench.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.study.Judgment;
import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
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
        .apply("FailureLines", ParDo.of(new DoFn<EvaluationTuple, KV<String, FailureLine>>() {
          private transient ObjectMapper mapper;

          @Setup
          public void setup() {
            mapper = new ObjectMapper();
          }

          @ProcessElement
          public void process(@Element EvaluationTuple t, OutputReceiver<KV<String, FailureLine>> out)
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
              out.output(KV.of("failures", new FailureLine(t.key(), mapper.writeValueAsString(o))));
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
                  out.output(KV.of("failures",
                      new FailureLine(t.key() + "|" + j.judge(), mapper.writeValueAsString(o))));
                }
              }
            }
          }
        }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), FailureLine.coder()))
        .apply("GatherFailures", GroupByKey.create())
        .apply("WriteFailuresFile", ParDo.of(new DoFn<KV<String, Iterable<FailureLine>>, Void>() {
          @ProcessElement
          public void process(@Element KV<String, Iterable<FailureLine>> all) throws IOException {
            List<FailureLine> lines = new ArrayList<>();
            all.getValue().forEach(lines::add);
            lines.sort(FailureLine.ORDER);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (FailureLine l : lines) {
              buf.write(l.json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
              buf.write('\n');
            }
            WriteStudyLayout.write(directory, "failures.jsonl", buf.toByteArray());
          }
        }));
    return PDone.in(tuples.getPipeline());
  }

  /** One line of the file and the tuple (and judge) it is about, which it is sorted by. */
  record FailureLine(String sortKey, String json) {
    static final Comparator<FailureLine> ORDER =
        Comparator.comparing(FailureLine::sortKey).thenComparing(FailureLine::json);

    static Coder<FailureLine> coder() {
      return FailureLineCoder.INSTANCE;
    }
  }

  private static final class FailureLineCoder extends AtomicCoder<FailureLine> {
    static final FailureLineCoder INSTANCE = new FailureLineCoder();

    @Override
    public void encode(FailureLine l, OutputStream out) throws IOException {
      Wire.string(l.sortKey(), out);
      Wire.string(l.json(), out);
    }

    @Override
    public FailureLine decode(InputStream in) throws IOException {
      return new FailureLine(Wire.string(in), Wire.string(in));
    }

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
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
    if (c.reasoning() != null) {
      o.put("cut_reasoning", c.reasoning()); // the trace of a reply cut inside its reasoning, apart from any text
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
