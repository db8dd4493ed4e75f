package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Price, budget and the dry run: they configure {@link RecordStamp} (every line's price), {@link Budget} and
 * {@link EstimateCost}.
 * Part of {@link VoiceBatchOptions}; each description's [tag] is its group in {@code --help}.
 */
public interface CostOptions extends PipelineOptions {
  @Description("[money] Price per million tokens, input and output alike.")
  @Default.String("80")
  String getPricePerMillionTokens();

  void setPricePerMillionTokens(String value);

  @Description("[money] Currency of the price, recorded in the ledger.")
  @Default.String("RMB")
  String getCurrency();

  void setCurrency(String value);

  @Description("[money] Budget for this run: a request starts only if its worst-case cost (prompt + max_tokens) "
      + "cannot take the run's total over it (one that does not fit waits for the requests in flight to settle); "
      + "once one cannot fit at all, the rest are skipped with reason budget, exit code 3.")
  String getMaxCostRmb();

  void setMaxCostRmb(String value);

  @Description("[money] Decode and normalize everything, print each item's exact prompt tokens and expected and "
      + "worst-case cost, and send nothing (estimates in <outputDir>/dry-run.jsonl).")
  @Default.Boolean(false)
  Boolean getDryRun();

  void setDryRun(Boolean value);

  @Description("[money] Typical completion tokens per reply, for --dryRun's expected cost (the service does not "
      + "publish a typical reply length; measure yours from a ledger).")
  @Default.Integer(80)
  Integer getExpectedCompletionTokens();

  void setExpectedCompletionTokens(Integer value);
}
