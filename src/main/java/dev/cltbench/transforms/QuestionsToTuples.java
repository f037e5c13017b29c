package dev.cltbench.transforms;

import dev.cltbench.study.EvaluationTuple;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudySubset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The fan-out of a run: every question of the subset x model x condition, once per epoch, as tuples
 * to evaluate. Done in the pipeline, on the workers that read the questions, so the launcher never
 * holds the list.
 */
public final class QuestionsToTuples
    extends PTransform<PCollection<Questions.Question>, PCollection<EvaluationTuple>> {
  private final PipelineDefinition definition;
  private final StudySubset subset;

  public QuestionsToTuples(PipelineDefinition definition, StudySubset subset) {
    super("QuestionsToTuples");
    this.definition = definition;
    this.subset = subset;
  }

  @Override
  public PCollection<EvaluationTuple> expand(PCollection<Questions.Question> questions) {
    return questions.apply("FanOutTuples", ParDo.of(new FanOutFn(definition, subset)))
        .setCoder(EvaluationTuple.coder());
  }

  /** The tuples of one question under {@code definition}: conditions x models x epochs. */
  public static List<EvaluationTuple> tuples(PipelineDefinition definition, Questions.Question q) {
    List<EvaluationTuple> out = new ArrayList<>();
    for (PipelineDefinition.Condition c : definition.conditions()) {
      String field = c.questionField() != null ? c.questionField()
          : definition.language(c.language()).orElseThrow().questionField();
      for (PipelineDefinition.ModelSpec m : definition.models()) {
        for (int e = 0; e < definition.epochsOrDefault(); e++) {
          out.add(new EvaluationTuple(c.id(), m.name(), q.id(), q.category(), c.language(),
              q.texts().get(field), q.referenceAnswer(), List.of(), null, null, List.of(), null, e));
        }
      }
    }
    return out;
  }

  static final class FanOutFn extends DoFn<Questions.Question, EvaluationTuple> {
    private final PipelineDefinition definition;
    private final StudySubset subset;

    FanOutFn(PipelineDefinition definition, StudySubset subset) {
      this.definition = definition;
      this.subset = subset;
    }

    @ProcessElement
    public void process(@Element Questions.Question q, OutputReceiver<EvaluationTuple> out) {
      if (subset.includesQuestion(q.id())) {
        tuples(definition, q).forEach(out::output);
      }
    }
  }
}
