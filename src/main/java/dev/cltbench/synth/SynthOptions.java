package dev.cltbench.synth;

import dev.cltbench.study.PublishedStudy;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code cltbench synth}. */
public interface SynthOptions extends PipelineOptions {
  @Description("Times the published study's size: the synthetic benchmark has scale x 50 questions.")
  @Default.Integer(1)
  int getScale();

  void setScale(int value);

  @Description("Directory to write the synthetic study into; replaced as a whole when done.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Seed of the sampling; the same seed, scale and source study give identical files.")
  @Default.Long(20260218L)
  long getSeed();

  void setSeed(long value);

  @Description("The real study whose responses, grades and score distributions are sampled."
      + " Default: $CLTBENCH_STUDY, else ../shared/left-behind-clt (the published study).")
  @Default.InstanceFactory(PublishedStudy.CLTBENCH_STUDY.class)
  String getStudy();

  void setStudy(String value);
}
