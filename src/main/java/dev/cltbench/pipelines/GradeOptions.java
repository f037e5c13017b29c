package dev.cltbench.pipelines;

import dev.cltbench.study.PublishedStudy;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code cltbench grade}. */
public interface GradeOptions extends EvaluationOptions {
  @Description("Pipeline definition of the recorded study (conditions, models, rubric; its judge panel "
      + "grades unless --judges is given)."
      + " Default: pipelines/left-behind.json.")
  String getPipeline();

  void setPipeline(String value);

  @Description("Recorded study directory to re-grade (the published layout)."
      + " Default: $CLTBENCH_STUDY, else ../shared/left-behind-clt (the published study).")
  @Default.InstanceFactory(PublishedStudy.CLTBENCH_STUDY.class)
  String getStudy();

  void setStudy(String value);

  @Description("JSON file with the judge panel to grade with: an array of model entries as in the "
      + "pipeline file's \"judges\".")
  String getJudges();

  void setJudges(String value);

  @Description("A person's grades of a review sample (the CSV that ./cltbench review-sample's form "
      + "exports, or its review.csv filled in): added as the rater 'human' under judges/human/grades/, so "
      + "tables/judge_agreement.csv gives every judge's agreement with it per criterion.")
  String getHuman();

  void setHuman(String value);

  @Description("The review sample's key.csv (which response each review id is). Default: key.csv "
      + "beside --human.")
  String getHumanKey();

  void setHumanKey(String value);

  @Description("Output directory: results/, grades/ (the new panel), judges/<judge>/grades/ "
      + "(including judges/recorded/), tables/judge_agreement.csv, report.html."
      + " Default: output/grade.")
  String getOutput();

  void setOutput(String value);

  /**
   * Defaults kept out of the annotations: Beam rejects one property with different defaults in two
   * registered options interfaces, and tests run several commands in one JVM.
   */
  String DEFAULT_PIPELINE = "pipelines/left-behind.json";

  String DEFAULT_OUTPUT = "output/grade";
}
