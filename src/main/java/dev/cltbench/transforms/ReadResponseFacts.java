package dev.cltbench.transforms;

import dev.cltbench.langid.LanguageIdentifier;
import dev.cltbench.langid.TextMetrics;
import dev.cltbench.study.ConditionType;
import dev.cltbench.study.FinalAnswerExtractor;
import dev.cltbench.study.LanguageFacts;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.ResponseFacts;
import dev.cltbench.study.ResponseRecord;
import dev.cltbench.study.StudySubset;
import java.io.IOException;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads the study's results files as {@link ReadStudyResults} does, checking every file and record the
 * same way, and measures each response where it is read: the graded text (the whole response, or for
 * a self-transfer condition the final answer after the step-3 marker), its words and, with
 * {@code identifyLanguages}, its language. Only the measurements leave the step
 * ({@link ResponseFacts}); {@link WriteEnrichedResponses} reads the texts again for the output file.
 */
public final class ReadResponseFacts extends PTransform<PBegin, PCollection<ResponseFacts>> {
  private final String study;
  private final PipelineDefinition definition;
  private final Questions questions;
  private final StudySubset subset;
  private final boolean identifyLanguages;

  /** {@code definition} is the whole study's: files are checked against it, {@code subset} picks what is read. */
  public ReadResponseFacts(String study, PipelineDefinition definition, Questions questions, StudySubset subset,
      boolean identifyLanguages) {
    super("ReadResponseFacts");
    this.study = study;
    this.definition = definition;
    this.questions = questions;
    this.subset = subset;
    this.identifyLanguages = identifyLanguages;
  }

  @Override
  public PCollection<ResponseFacts> expand(PBegin input) {
    return ReadStudyResults.files(input, study)
        .apply("MeasureResponses", ParDo.of(new MeasureFn(
            new ReadStudyResults.ParseResultsFileFn(definition, questions, subset), definition, identifyLanguages)))
        .setCoder(ResponseFacts.coder());
  }

  static final class MeasureFn extends DoFn<FileIO.ReadableFile, ResponseFacts> {
    private final ReadStudyResults.ParseResultsFileFn parser;
    private final PipelineDefinition definition;
    private final boolean identifyLanguages;
    private final FinalAnswerExtractor extractor;
    private final Counter fallback = Metrics.counter("report", "final_answer_fallback_rule");
    private final Counter wrongLanguage = Metrics.counter("report", "wrong_language_detected");
    private transient LanguageIdentifier identifier;

    MeasureFn(ReadStudyResults.ParseResultsFileFn parser, PipelineDefinition definition,
        boolean identifyLanguages) {
      this.parser = parser;
      this.definition = definition;
      this.identifyLanguages = identifyLanguages;
      this.extractor = definition.finalAnswerExtractor(); // compiles the markers' pattern: once
    }

    @Setup
    public void setup() {
      parser.setup();
      if (identifyLanguages) {
        identifier = LanguageIdentifier.shared();
      }
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<ResponseFacts> out) throws IOException {
      parser.parse(file, r -> out.output(measure(r)));
    }

    private ResponseFacts measure(ResponseRecord r) {
      PipelineDefinition.Condition condition = definition.condition(r.condition()).orElseThrow();
      ConditionType type = condition.conditionType();
      ConditionType.Graded graded = type.gradedFromRecorded(r.response(), extractor);
      String evaluated = graded.text();
      if (type.extractsFinalAnswer() && !graded.extraction().equals("marker")) {
        fallback.inc();
      }
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
      return new ResponseFacts(r.condition(), r.model(), r.questionId(), r.epoch(), r.category(),
          r.responseTimeSeconds(), graded.extraction(), FinalAnswerExtractor.countWords(evaluated), facts,
          r.source(), r.finishReason(), r.modelVersion());
    }
  }
}
