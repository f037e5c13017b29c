package dev.cltbench.transforms;

import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.ResponseRecord;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Recorded responses as tuples whose answer step is already done, for re-grading: only the judges are
 * called on them.
 */
public final class RecordedAnswers
    extends PTransform<PCollection<ResponseRecord>, PCollection<EvaluationTuple>> {
  private final PipelineDefinition definition;
  private final Questions questions;

  public RecordedAnswers(PipelineDefinition definition, Questions questions) {
    super("RecordedAnswers");
    this.definition = definition;
    this.questions = questions;
  }

  @Override
  public PCollection<EvaluationTuple> expand(PCollection<ResponseRecord> responses) {
    return responses.apply("ToTuples", ParDo.of(new RecordedAnswerFn(definition, questions)))
        .setCoder(EvaluationTuple.coder());
  }

  static final class RecordedAnswerFn extends DoFn<ResponseRecord, EvaluationTuple> {
    private final PipelineDefinition definition;
    private final Questions questions;

    RecordedAnswerFn(PipelineDefinition definition, Questions questions) {
      this.definition = definition;
      this.questions = questions;
    }

    @ProcessElement
    public void process(@Element ResponseRecord r, OutputReceiver<EvaluationTuple> out) {
      PipelineDefinition.Condition c = definition.condition(r.condition()).orElseThrow();
      Questions.Question q = questions.get(r.questionId());
      EvaluationTuple.Step answer = new EvaluationTuple.Step(RunSteps.ANSWER, r.model(), c.systemPrompt(),
          r.questionText(), r.response(), 0, 0, Math.round(r.responseTimeSeconds() * 1000), true);
      out.output(new EvaluationTuple(r.condition(), r.model(), r.questionId(), r.category(), c.language(),
          r.questionText(), q.referenceAnswer(), List.of(answer), null, null, List.of(), null, r.epoch()));
    }
  }
}
