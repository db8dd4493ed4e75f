package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Every option of a batch, Beam style ({@code --name=value}): the options of each stage, declared beside
 * the code that reads them, plus the few only the launcher reads (progress, the embedded simulator). The
 * names are what users type, so they never change meaning between releases; {@code --help} groups them by
 * the [tag] of each description.
 */
public interface VoiceBatchOptions extends ManifestOptions, AudioOptions, ServiceOptions, ClusterOptions,
    OutputOptions, CostOptions, ResumeOptions {
  @Description("[progress] Seconds between progress lines when stderr is not a terminal (cron, CI, | tee); on a "
      + "terminal one live line is redrawn every second.")
  @Default.Integer(10)
  Integer getProgressIntervalSeconds();

  void setProgressIntervalSeconds(Integer value);

  @Description("[simulator] Embedded simulator's mean latency, milliseconds (used when no API key is set).")
  @Default.Integer(800)
  Integer getSimulatorLatencyMs();

  void setSimulatorLatencyMs(Integer value);

  @Description("[simulator] Embedded simulator's reply audio wire form: raw (s16le 44.1 kHz PCM) or wav.")
  @Default.String("raw")
  String getSimulatorReplyAudio();

  void setSimulatorReplyAudio(String value);

  @Description("[simulator] Share of requests the embedded simulator fails with injected faults (0..1).")
  @Default.Double(0.0)
  Double getSimulatorFaultRate();

  void setSimulatorFaultRate(Double value);

  @Description("[simulator] Seed of the embedded simulator's random generator.")
  @Default.Long(42L)
  Long getSimulatorSeed();

  void setSimulatorSeed(Long value);
}
