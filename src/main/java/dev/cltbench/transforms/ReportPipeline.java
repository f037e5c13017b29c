package dev.cltbench.transforms;

import dev.cltbench.report.TableRow;
import dev.cltbench.report.TableSink;
import dev.cltbench.study.EvaluatedResponse;
import dev.cltbench.study.PipelineDefinition;
import dev.cltbench.study.Questions;
import dev.cltbench.study.StudySubset;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The report's graph: read results (measuring each graded text where it is read) and grades, join them
 * per (condition, model, question), then fan out to the enriched responses file and to the grouped
 * tables.
 */
public final class ReportPipeline {
  private ReportPipeline() {}

  /** Builds the graph on {@code pipeline}; outputs go under {@code stagingDirectory}. */
  public static void build(Pipeline pipeline, PipelineDefinition definition, Questions questions,
      String study, String stagingDirectory, TableSink tables, StudyOrder order) {
    build(pipeline, definition, questions, study, stagingDirectory, tables, order, java.util.List.of(), false);
  }

  /**
   * As above, with language identification of every evaluated text when {@code identifyLanguages}
   * (per-response facts and the language table); {@code raters} are the judges with their own grades under {@code judges/} of the study
   * directory (see {@link JudgeAgreement#raters}), whose agreement becomes {@code judge_agreement}.
   */
  public static void build(Pipeline pipeline, PipelineDefinition definition, Questions questions,
      String study, String stagingDirectory, TableSink tables, StudyOrder order,
      java.util.List<String> raters, boolean identifyLanguages) {
    build(pipeline, definition, StudySubset.all(), questions, study, stagingDirectory, tables, order,
        raters, identifyLanguages);
  }

  /**
   * As above on the part of the study {@code subset} selects: {@code whole} is the whole study's
   * definition (files are checked against it), the tables are those of the subset alone.
   */
  public static void build(Pipeline pipeline, PipelineDefinition whole, StudySubset subset,
      Questions questions, String study, String stagingDirectory, TableSink tables,
      StudyOrder order, java.util.List<String> raters, boolean identifyLanguages) {
    PipelineDefinition definition = subset.apply(whole);
    PCollection<EvaluatedResponse> evaluated = PCollectionTuple
        .of(JoinResponsesWithGrades.RESPONSES,
            pipeline.apply(new ReadResponseFacts(study, whole, questions, subset, identifyLanguages)))
        .and(JoinResponsesWithGrades.GRADES, pipeline.apply(new ReadStudyGrades(study, whole, subset)))
        .apply(new JoinResponsesWithGrades(definition));
    PCollection<Void> written = evaluated.apply(
        new WriteEnrichedResponses(parts(stagingDirectory), order, study, whole));
    PCollection<EvaluatedResponse> units = evaluated;
    PCollectionList<TableRow> spread = PCollectionList.empty(pipeline);
    if (definition.epochsOrDefault() > 1) {
      PCollectionTuple means = evaluated.apply(new MeanOverEpochs(definition, order));
      units = means.get(MeanOverEpochs.UNITS);
      spread = spread.and(means.get(MeanOverEpochs.SPREAD));
    }
    // Epochs are averaged within a (question, model) unit first: every score table and statistic
    // sees one unit per question, times stay per response.
    PCollectionList<TableRow> rows = spread.and(units.apply(new SummarizeScores(definition, order)))
        .and(units.apply(new ClusteredIntervals(definition, order)))
        .and(evaluated.apply(new SummarizeTimes(order)))
        .and(units.apply(new CompareTransferWithDirect(definition, order)));
    if (identifyLanguages) {
      rows = rows.and(evaluated.apply(new SummarizeLanguages(order)));
    }
    if (raters.size() >= 2) {
      rows = rows.and(pipeline.apply(new JudgeAgreement(study, whole, raters, subset)));
    }
    rows.apply("AllTableRows", Flatten.pCollections())
        .setCoder(TableRow.coder())
        .apply(new AssembleTables(definition, tables, written));
  }

  public static String parts(String stagingDirectory) {
    return (stagingDirectory.endsWith("/") ? stagingDirectory : stagingDirectory + "/") + "parts/";
  }
}
