package dev.cltbench.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The part of a study a command covers, and how many times each tuple is (or was) answered
 * ({@code run}, {@code grade}, {@code report}).
 */
public interface SubsetOptions extends PipelineOptions {
  @Description("Epochs: run answers every tuple this many times (default: the pipeline file's epochs, "
      + "else 1), each with its own seed where the provider takes one and its own cache entries; every "
      + "epoch is kept in results/ and grades/. grade and report: the study's epochs (default: its "
      + "manifest's, else the pipeline file's). Tables score each tuple's mean over its epochs.")
  Integer getEpochs();

  void setEpochs(Integer value);

  @Description("Only these models (comma-separated names from the pipeline file).")
  String getModels();

  void setModels(String value);

  @Description("Only these conditions (comma-separated ids, e.g. C1,C3). A transfer condition is "
      + "compared with its direct condition only when that one is selected too.")
  String getConditions();

  void setConditions(String value);

  @Description("Only these question ids: ids and inclusive ranges, e.g. 1,4,10-20.")
  String getQuestions();

  void setQuestions(String value);

  @Description("Only the first N question ids (after --questions).")
  Integer getLimit();

  void setLimit(Integer value);
}
