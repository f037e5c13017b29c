package dev.cltbench.transforms;

import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.GradeRecord;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.ResponseFacts;
import dev.cltbench.study.StudyInputException;
import dev.cltbench.study.TupleKey;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Joins each measured response ({@link ReadResponseFacts}) with its grade by (condition, model,
 * question). A response without a grade, a grade without a response, or a key seen twice fails the run
 * naming both sources: nothing is dropped quietly. Records are grouped under the shard ({@link Shards})
 * of their block of question ids ({@link TupleKey#block}) and matched block by block, question by
 * question. The joined responses carry no
 * text of the answer (the enriched file reads it again); the judge's notes come with the grade.
 */
public final class JoinResponsesWithGrades
    extends PTransform<PCollectionTuple, PCollection<EvaluatedResponse>> {
  public static final TupleTag<ResponseFacts> RESPONSES = new TupleTag<>() {};
  public static final TupleTag<GradeRecord> GRADES = new TupleTag<>() {};

  private final PipelineDefinition definition;

  public JoinResponsesWithGrades(PipelineDefinition definition) {
    super("JoinResponsesWithGrades");
    this.definition = definition;
  }

  @Override
  public PCollection<EvaluatedResponse> expand(PCollectionTuple input) {
    int shards = Shards.of(input.getPipeline().getOptions());
    PCollection<KV<Integer, ResponseFacts>> responses = input.get(RESPONSES)
        .apply("KeyResponsesByShard", WithKeys
            .of((ResponseFacts r) -> shard(r.condition(), r.model(), r.questionId(), shards))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ResponseFacts.coder()));
    PCollection<KV<Integer, GradeRecord>> grades = input.get(GRADES)
        .apply("KeyGradesByShard", WithKeys
            .of((GradeRecord g) -> shard(g.condition(), g.model(), g.questionId(), shards))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), GradeRecord.coder()));
    return KeyedPCollectionTuple.of(RESPONSES, responses)
        .and(GRADES, grades)
        .apply("GroupByShard", CoGroupByKey.create())
        .apply("JoinGrades", ParDo.of(new JoinFn(definition)))
        .setCoder(EvaluatedResponse.coder());
  }

  /** The shard of a tuple's block of questions: a response and its grade meet there. */
  static int shard(String condition, String model, int questionId, int shards) {
    return Shards.shard(StringUtf8Coder.of(), TupleKey.block(condition, model, questionId), shards);
  }

  static final class JoinFn extends DoFn<KV<Integer, CoGbkResult>, EvaluatedResponse> {
    private final PipelineDefinition definition;
    private final Counter joined = Metrics.counter("report", "responses_joined");
    private final Counter wordMismatch = Metrics.counter("report", "word_count_differs_from_recorded");

    JoinFn(PipelineDefinition definition) {
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> element,
        OutputReceiver<EvaluatedResponse> out) {
      // Matched by block, then by question and epoch (question * 2^20 + epoch keeps the natural order).
      TreeMap<String, TreeMap<Long, List<ResponseFacts>>> responses = new TreeMap<>();
      element.getValue().getAll(RESPONSES).forEach(r -> responses
          .computeIfAbsent(TupleKey.block(r.condition(), r.model(), r.questionId()), b -> new TreeMap<>())
          .computeIfAbsent(unit(r.questionId(), r.epoch()), q -> new ArrayList<>()).add(r));
      TreeMap<String, TreeMap<Long, List<GradeRecord>>> grades = new TreeMap<>();
      element.getValue().getAll(GRADES).forEach(g -> grades
          .computeIfAbsent(TupleKey.block(g.condition(), g.model(), g.questionId()), b -> new TreeMap<>())
          .computeIfAbsent(unit(g.questionId(), g.epoch()), q -> new ArrayList<>()).add(g));
      TreeSet<String> blocks = new TreeSet<>(responses.keySet());
      blocks.addAll(grades.keySet());
      for (String block : blocks) {
        TreeMap<Long, List<ResponseFacts>> rs = responses.getOrDefault(block, new TreeMap<>());
        TreeMap<Long, List<GradeRecord>> gs = grades.getOrDefault(block, new TreeMap<>());
        TreeSet<Long> questions = new TreeSet<>(rs.keySet());
        questions.addAll(gs.keySet());
        for (long q : questions) {
          join(rs.getOrDefault(q, List.of()), gs.getOrDefault(q, List.of()), out);
        }
        // What is joined need not be held while the shard's other blocks are.
        responses.remove(block);
        grades.remove(block);
      }
    }

    static long unit(int questionId, int epoch) {
      return ((long) questionId << 20) + epoch;
    }

    /** One question's response(s) and grade(s): exactly one of each, or the run fails. */
    private void join(List<ResponseFacts> responses, List<GradeRecord> grades,
        OutputReceiver<EvaluatedResponse> out) {
      String key = (responses.isEmpty() ? grades.get(0).key() : responses.get(0).key()).replace('|', ' ');
      if (responses.size() > 1) {
        throw new StudyInputException(sources(responses), key, "question_id",
            "duplicate response for the same condition, model and question");
      }
      if (grades.size() > 1) {
        throw new StudyInputException(gradeSources(grades), key, "question_id",
            "duplicate grade for the same condition, model and question");
      }
      if (grades.isEmpty()) {
        throw new StudyInputException(responses.get(0).source(), key, null,
            "response has no grade in grades/");
      }
      if (responses.isEmpty()) {
        GradeRecord g = grades.get(0);
        throw new StudyInputException(g.source(), key, null, "grade has no response in results/");
      }
      ResponseFacts r = responses.get(0);
      GradeRecord g = grades.get(0);
      if (!r.category().equals(g.category())) {
        throw new StudyInputException(g.source(), key, "category",
            g.category() + " differs from the response's " + r.category() + " in " + r.source());
      }
      PipelineDefinition.Condition condition = definition.condition(r.condition()).orElseThrow();
      if (r.words() != g.responseLength()) {
        wordMismatch.inc();
      }
      joined.inc();
      String family = definition.model(r.model()).orElseThrow().family();
      out.output(new EvaluatedResponse(r.condition(), condition.type(), condition.language(),
          r.model(), family, r.questionId(), r.category(), g.score(),
          r.responseTimeSeconds(), null, r.extraction(), r.words(),
          g.responseLength(), g.notes(), r.languageFacts(), r.epoch())
          .withProvider(r.finishReason(), r.modelVersion()));
    }

    private static String sources(List<ResponseFacts> rs) {
      List<String> s = new ArrayList<>();
      rs.forEach(r -> s.add(r.source()));
      s.sort(null);
      return String.join(" and ", s);
    }

    private static String gradeSources(List<GradeRecord> gs) {
      List<String> s = new ArrayList<>();
      gs.forEach(g -> s.add(g.source()));
      s.sort(null);
      return String.join(" and ", s);
    }
  }
}
