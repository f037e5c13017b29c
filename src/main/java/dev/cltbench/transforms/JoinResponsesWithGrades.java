package dev.cltbench.transforms;

import dev.cltbench.langid.LanguageIdentifier;
import dev.cltbench.langid.TextMetrics;
import dev.cltbench.study.ConditionType;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.LanguageFacts;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.GradeRecord;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.ResponseRecord;
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
 * Joins each response with its grade by (condition, model, question) and derives what was graded: the
 * whole response, or for a self-transfer condition the final answer after the step-3 marker. A response
 * without a grade, a grade without a response, or a key seen twice fails the run naming both sources:
 * nothing is dropped quietly. Records are grouped by block of question ids ({@link TupleKey#block}) and
 * matched by question inside the block.
 */
public final class JoinResponsesWithGrades
    extends PTransform<PCollectionTuple, PCollection<EvaluatedResponse>> {
  public static final TupleTag<ResponseRecord> RESPONSES = new TupleTag<>() {};
  public static final TupleTag<GradeRecord> GRADES = new TupleTag<>() {};

  private final PipelineDefinition definition;
  private final boolean identifyLanguages;

  public JoinResponsesWithGrades(PipelineDefinition definition) {
    this(definition, false);
  }

  /** With {@code identifyLanguages}, every evaluated text also gets its {@link LanguageFacts}. */
  public JoinResponsesWithGrades(PipelineDefinition definition, boolean identifyLanguages) {
    super("JoinResponsesWithGrades");
    this.definition = definition;
    this.identifyLanguages = identifyLanguages;
  }

  @Override
  public PCollection<EvaluatedResponse> expand(PCollectionTuple input) {
    PCollection<KV<String, ResponseRecord>> responses = input.get(RESPONSES)
        .apply("KeyResponsesByBlock", WithKeys
            .of((ResponseRecord r) -> TupleKey.block(r.condition(), r.model(), r.questionId()))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ResponseRecord.coder()));
    PCollection<KV<String, GradeRecord>> grades = input.get(GRADES)
        .apply("KeyGradesByBlock", WithKeys
            .of((GradeRecord g) -> TupleKey.block(g.condition(), g.model(), g.questionId()))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), GradeRecord.coder()));
    return KeyedPCollectionTuple.of(RESPONSES, responses)
        .and(GRADES, grades)
        .apply("GroupByQuestionBlock", CoGroupByKey.create())
        .apply("EvaluateGradedText", ParDo.of(new EvaluateFn(definition, identifyLanguages)))
        .setCoder(EvaluatedResponse.coder());
  }

  static final class EvaluateFn extends DoFn<KV<String, CoGbkResult>, EvaluatedResponse> {
    private final PipelineDefinition definition;
    private final FinalAnswerExtractor extractor;
    private final Counter joined = Metrics.counter("report", "responses_joined");
    private final Counter fallback = Metrics.counter("report", "final_answer_fallback_rule");
    private final Counter wordMismatch = Metrics.counter("report", "word_count_differs_from_recorded");
    private final Counter wrongLanguage = Metrics.counter("report", "wrong_language_detected");
    private final boolean identifyLanguages;
    private transient LanguageIdentifier identifier;

    EvaluateFn(PipelineDefinition definition, boolean identifyLanguages) {
      this.definition = definition;
      this.extractor = definition.finalAnswerExtractor();
      this.identifyLanguages = identifyLanguages;
    }

    @Setup
    public void setup() {
      if (identifyLanguages) {
        identifier = LanguageIdentifier.shared();
      }
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> element,
        OutputReceiver<EvaluatedResponse> out) {
      // Matched by question and epoch (question * 2^20 + epoch keeps the natural order).
      TreeMap<Long, List<ResponseRecord>> responses = new TreeMap<>();
      element.getValue().getAll(RESPONSES).forEach(
          r -> responses.computeIfAbsent(unit(r.questionId(), r.epoch()), q -> new ArrayList<>()).add(r));
      TreeMap<Long, List<GradeRecord>> grades = new TreeMap<>();
      element.getValue().getAll(GRADES).forEach(
          g -> grades.computeIfAbsent(unit(g.questionId(), g.epoch()), q -> new ArrayList<>()).add(g));
      TreeSet<Long> questions = new TreeSet<>(responses.keySet());
      questions.addAll(grades.keySet());
      for (long q : questions) {
        evaluate(responses.getOrDefault(q, List.of()), grades.getOrDefault(q, List.of()), out);
      }
    }

    private static long unit(int questionId, int epoch) {
      return ((long) questionId << 20) + epoch;
    }

    /** One question's response(s) and grade(s): exactly one of each, or the run fails. */
    private void evaluate(List<ResponseRecord> responses, List<GradeRecord> grades,
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
      ResponseRecord r = responses.get(0);
      GradeRecord g = grades.get(0);
      if (!r.category().equals(g.category())) {
        throw new StudyInputException(g.source(), key, "category",
            g.category() + " differs from the response's " + r.category() + " in " + r.source());
      }
      PipelineDefinition.Condition condition = definition.condition(r.condition()).orElseThrow();
      ConditionType type = condition.conditionType();
      ConditionType.Graded graded = type.gradedFromRecorded(r.response(), extractor);
      String evaluated = graded.text();
      String extraction = graded.extraction();
      if (type.extractsFinalAnswer() && !extraction.equals("marker")) {
        fallback.inc();
      }
      int words = FinalAnswerExtractor.countWords(evaluated);
      if (words != g.responseLength()) {
        wordMismatch.inc();
      }
      joined.inc();
      String family = definition.model(r.model()).orElseThrow().family();
      LanguageFacts facts = null;
      if (identifier != null) {
        // In the language the strategy is judged in (English for translate-test).
        String expected = type.judgedIso6393(definition, condition);
        facts = TextMetrics.facts(evaluated, expected, r.response(),
            condition.extractsFinalAnswer() ? definition.transferMarkers() : null, identifier);
        if (facts.wrongLanguage()) {
          wrongLanguage.inc();
        }
      }
      out.output(new EvaluatedResponse(r.condition(), condition.type(), condition.language(),
          r.model(), family, r.questionId(), r.category(), g.score(),
          r.responseTimeSeconds(), evaluated, extraction, words,
          g.responseLength(), g.notes(), facts, r.epoch()).withProvider(r.finishReason(), r.modelVersion()));
    }

    private static String sources(List<ResponseRecord> rs) {
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
