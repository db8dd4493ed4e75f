package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where results go and what is written beside the ledger: the output folder, its disk check ({@link ReplySize},
 * {@link DiskRoom}), the dataset manifest and the report.
 * Part of {@link VoiceBatchOptions}; each description's [tag] is its group in {@code --help}.
 */
public interface OutputOptions extends PipelineOptions {
  @Description("[output] Output folder: ledger.jsonl, audio/<id>.wav, text/<id>.txt, summary.json. Re-running "
      + "with the same folder resumes the batch.")
  String getOutputDir();

  void setOutputDir(String value);

  @Description("[output] When --outputDir holds reply files but no ledger (deleted or lost): write a ledger line "
      + "for each reply file first (status ok, tokens and cost unknown; docs/output-folder.md), so those items "
      + "are not sent and paid again.")
  @Default.Boolean(false)
  Boolean getRebuildLedger();

  void setRebuildLedger(Boolean value);

  @Description("[output] When --outputDir holds reply files but no ledger: send every item again anyway, "
      + "overwriting those files (and paying again).")
  @Default.Boolean(false)
  Boolean getForce();

  void setForce(Boolean value);

  @Description("[output] Disk check before each request: reply speech is assumed to cost this many completion tokens "
      + "per second (12.5, as input audio is billed), so max_tokens bounds the reply's seconds and, at "
      + "--replyPcmSampleRate, its bytes. Sending stops (exit code 5) when the folder has no room for that.")
  @Default.Double(12.5)
  Double getReplyAudioTokensPerSecond();

  void setReplyAudioTokensPerSecond(Double value);

  @Description("[output] Disk check before each request: bytes kept free per request in flight for its ledger lines, "
      + "on top of its reply's worst case.")
  @Default.Long(65_536L)
  Long getDiskMarginBytes();

  void setDiskMarginBytes(Long value);

  @Description("[output] Write a dataset manifest to this file (default: the --datasetFormat's own name in "
      + "<outputDir>): one JSON line per ok item, or per segment of a split recording, with the reply audio and "
      + "the audio as sent (kept under <outputDir>/normalized/) as paths relative to the manifest, the prompt, "
      + "system text and request parameters, the reply text, durations and the request id. See docs/dataset.md.")
  String getDatasetManifest();

  void setDatasetManifest(String value);

  @Description("[output] Shape of the dataset manifest: audiofolder (metadata.jsonl for Hugging Face datasets' "
      + "audiofolder loader), nemo (a NeMo manifest.json: audio_filepath, duration, text) or jsonl (dataset.jsonl, "
      + "generic). Setting it alone writes the manifest into <outputDir>; with --datasetManifest=FILE the default "
      + "is audiofolder when FILE is named metadata.jsonl, else jsonl.")
  String getDatasetFormat();

  void setDatasetFormat(String value);

  @Description("[output] Write <outputDir>/report.html (totals, retries and faults, charts, and a paged table of "
      + "items with what was asked and both audios) and its rows, report-data.js; keeps the audio as sent under "
      + "<outputDir>/normalized/ for the input player.")
  @Default.Boolean(true)
  Boolean getReport();

  void setReport(Boolean value);
}
