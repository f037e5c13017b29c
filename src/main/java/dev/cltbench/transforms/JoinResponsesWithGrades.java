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
 * naming both sources: nothing is dropped quietly. Records are grouped by block of question ids
 * ({@link TupleKey#block}) and matched by question inside the block. The joined responses carry no
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
    PCollection<KV<String, ResponseFacts>> responses = input.get(RESPONSES)
        .apply("KeyResponsesByBlock", WithKeys
            .of((ResponseFacts r) -> TupleKey.block(r.condition(), r.model(), r.questionId()))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ResponseFacts.coder()));
    PCollection<KV<String, GradeRecord>> grades = input.get(GRADES)
        .apply("KeyGradesByBlock", WithKeys
            .of((GradeRecord g) -> TupleKey.block(g.condition(), g.model(), g.questionId()))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), GradeRecord.coder()));
    return KeyedPCollectionTuple.of(RESPONSES, responses)
        .and(GRADES, grades)
        .apply("GroupByQuestionBlock", CoGroupByKey.create())
        .apply("JoinGrades", ParDo.of(new JoinFn(definition)))
        .setCoder(EvaluatedResponse.coder());
  }

  static final class JoinFn extends DoFn<KV<String, CoGbkResult>, EvaluatedResponse> {
    private final PipelineDefinition definition;
    private final Counter joined = Metrics.counter("report", "responses_joined");
    private final Counter wordMismatch = Metrics.counter("report", "word_count_differs_from_recorded");

    JoinFn(PipelineDefinition definition) {
      this.definition = definition;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> element,
        OutputReceiver<EvaluatedResponse> out) {
      // Matched by question and epoch (question * 2^20 + epoch keeps the natural order).
      TreeMap<Long, List<ResponseFacts>> responses = new TreeMap<>();
      element.getValue().getAll(RESPONSES).forEach(
          r -> responses.computeIfAbsent(unit(r.questionId(), r.epoch()), q -> new ArrayList<>()).add(r));
      TreeMap<Long, List<GradeRecord>> grades = new TreeMap<>();
      element.getValue().getAll(GRADES).forEach(
          g -> grades.computeIfAbsent(unit(g.questionId(), g.epoch()), q -> new ArrayList<>()).add(g));
      TreeSet<Long> questions = new TreeSet<>(responses.keySet());
      questions.addAll(grades.keySet());
      for (long q : questions) {
        join(responses.getOrDefault(q, List.of()), grades.getOrDefault(q, List.of()), out);
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
