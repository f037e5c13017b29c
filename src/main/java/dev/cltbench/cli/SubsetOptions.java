package dev.cltbench.cli;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The part of a study a command covers ({@code run}, {@code grade}, {@code report}). */
public interface SubsetOptions extends PipelineOptions {
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
