package dev.cltbench.pipelines;

import dev.cltbench.study.PublishedStudy;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code cltbench review-sample}. */
public interface ReviewSampleOptions extends PipelineOptions {
  @Description("Pipeline definition of the study (conditions, models, rubric). Default: pipelines/left-behind.json.")
  String getPipeline();

  void setPipeline(String value);

  @Description("Study directory in the published layout (the published study or a run's output)."
      + " Default: $CLTBENCH_STUDY, else ../shared/left-behind-clt (the published study).")
  @Default.InstanceFactory(PublishedStudy.CLTBENCH_STUDY.class)
  String getStudy();

  void setStudy(String value);

  @Description("How many responses to sample.")
  @Default.Integer(100)
  int getN();

  void setN(int value);

  @Description("Comma-separated keys to stratify by, each stratum getting its share of --n in proportion "
      + "to its size: any of condition, model, family, category, language; empty for none.")
  @Default.String("condition,model")
  String getStratify();

  void setStratify(String value);

  @Description("Seed of the draw; the same study, --n, --stratify and seed give the same sample.")
  @Default.Long(20260218L)
  long getSeed();

  void setSeed(long value);

  @Description("Output directory (required): review.csv and review.html for the rater, key.csv (which "
      + "response each review id is; keep it from the rater). Replaced only if an earlier cltbench output.")
  String getOutput();

  void setOutput(String value);
}
