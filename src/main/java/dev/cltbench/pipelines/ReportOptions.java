package dev.cltbench.pipelines;

import dev.cltbench.study.PublishedStudy;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code cltbench report}. Paths may be local or on any Beam filesystem. */
public interface ReportOptions extends SubsetOptions, ClusterOptions {
  @Description("Pipeline definition (JSON): languages, models, conditions, judge, rubric."
      + " Default: pipelines/left-behind.json.")
  String getPipeline();

  void setPipeline(String value);

  @Description("Study directory in the published layout: benchmark/questions.json, "
      + "results/<condition dir>/<model>.json, grades/<condition dir>.csv."
      + " Default: $CLTBENCH_STUDY, else ../shared/left-behind-clt (the published study).")
  @Default.InstanceFactory(PublishedStudy.CLTBENCH_STUDY.class)
  String getStudy();

  void setStudy(String value);

  @Description("Output directory; replaced as a whole only when the report succeeds."
      + " Default: output/left-behind.")
  String getOutput();

  void setOutput(String value);

  @Description("Identify the language of every evaluated text (adds language.csv and per-response "
      + "language fields).")
  @Default.Boolean(true)
  boolean getLanguageId();

  void setLanguageId(boolean value);

  @Description("Report on a study with model x condition cells that have fewer responses than the "
      + "benchmark has questions, or none; the report and tables/incomplete.csv name them. Without it such "
      + "a study is an error naming the cells.")
  @Default.Boolean(false)
  boolean getAllowIncomplete();

  void setAllowIncomplete(boolean value);

  /**
   * Defaults kept out of the annotations: Beam rejects one property with different defaults in two
   * registered options interfaces, and tests run several commands in one JVM.
   */
  String DEFAULT_PIPELINE = "pipelines/left-behind.json";

  String DEFAULT_OUTPUT = "output/left-behind";
}
