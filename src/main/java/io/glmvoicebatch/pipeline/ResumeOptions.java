package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What a re-run of the same folder sends again: they configure {@link ItemPreparation} as a {@link ResumePolicy}.
 * Part of {@link VoiceBatchOptions}; each description's [tag] is its group in {@code --help}.
 */
public interface ResumeOptions extends PipelineOptions {
  @Description("[resume] On a re-run, send again the items whose last state is failed.")
  @Default.Boolean(true)
  Boolean getRetryFailed();

  void setRetryFailed(Boolean value);

  @Description("[resume] On a re-run, send again items that were in flight when the last run died (they may "
      + "have been billed).")
  @Default.Boolean(true)
  Boolean getResendUncertain();

  void setResendUncertain(Boolean value);
}
