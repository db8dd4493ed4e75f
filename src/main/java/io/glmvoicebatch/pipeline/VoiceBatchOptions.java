package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Every option of a batch, Beam style ({@code --name=value}). Grouped by stage; the names are what users
 * type, so they never change meaning between releases.
 */
public interface VoiceBatchOptions extends PipelineOptions {

  // ---- manifest ----
  @Description("[manifest] Manifest of items: JSON Lines (one object per line) or CSV with a header row (.csv). "
      + "Fields: id, audio, prompt, system, max_tokens, temperature, top_p.")
  String getManifest();

  void setManifest(String value);

  @Description("[manifest] Instead of --manifest: every .wav file in this folder becomes an item (id = file name "
      + "without extension), sent with --prompt.")
  String getAudioDir();

  void setAudioDir(String value);

  @Description("[manifest] Prompt text sent with every item built from --audioDir.")
  String getPrompt();

  void setPrompt(String value);

  // ---- output ----
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

  @Description("[manifest] Items released together into the pipeline; the call stage keeps up to a bundle's "
      + "requests in flight and waits for its slowest, so bundles several times the cap keep every slot busy, "
      + "while small ones start sending sooner. 0: four times the in-flight cap (at least 16).")
  @Default.Integer(0)
  Integer getItemsPerBundle();

  void setItemsPerBundle(Integer value);

  // ---- audio ----
  @Description("[audio] Decode and normalize audio to 16 kHz mono 16-bit PCM before sending; false sends the "
      + "original file bytes.")
  @Default.Boolean(true)
  Boolean getNormalize();

  void setNormalize(Boolean value);

  @Description("[audio] Largest input audio file read, bytes; a larger file (or one that is not a regular file: "
      + "a FIFO, a device) is that item's audio_unreadable error, never read. Default 4 GiB.")
  @Default.Long(4L << 30)
  Long getMaxInputFileBytes();

  void setMaxInputFileBytes(Long value);

  @Description("[audio] Loudness target, LUFS integrated (ITU-R BS.1770-4).")
  @Default.Double(-20.0)
  Double getTargetLufs();

  void setTargetLufs(Double value);

  @Description("[audio] Sample peak ceiling after the loudness gain, dBFS; the output never clips.")
  @Default.Double(-1.0)
  Double getPeakCeilingDbfs();

  void setPeakCeilingDbfs(Double value);

  @Description("[audio] Largest loudness boost, dB, so quiet recordings do not turn hiss into noise.")
  @Default.Double(24.0)
  Double getMaxGainDb();

  void setMaxGainDb(Double value);

  @Description("[audio] Trim leading and trailing silence (every second trimmed is 12.5 prompt tokens not paid).")
  @Default.Boolean(true)
  Boolean getTrimSilence();

  void setTrimSilence(Boolean value);

  @Description("[audio] Level below which a 20 ms frame is never speech, dBFS; above it, speech is judged against "
      + "the clip's own noise floor (12 dB above it), so quiet recordings are still heard.")
  @Default.Double(-85.0)
  Double getSilenceThresholdDbfs();

  void setSilenceThresholdDbfs(Double value);

  @Description("[audio] Silence kept before the first and after the last sound, seconds.")
  @Default.Double(0.25)
  Double getTrimPaddingSeconds();

  void setTrimPaddingSeconds(Double value);

  @Description("[audio] Split recordings longer than one request may carry (10 minutes, and the 8K-token context) "
      + "at pauses into segments sent separately, then stitch the replies; false fails them instead.")
  @Default.Boolean(true)
  Boolean getSplitLongAudio();

  void setSplitLongAudio(Boolean value);

  @Description("[audio] Longest segment of a split recording, seconds (at most 600; the context limit may "
      + "make it shorter).")
  @Default.Double(600.0)
  Double getMaxSegmentSeconds();

  void setMaxSegmentSeconds(Double value);

  @Description("[audio] Largest request body sent, MB (base64 audio + text): segments are cut to fit. The service "
      + "documents no limit; the default passes 10 minutes of 16 kHz audio (25.6 MB).")
  @Default.Double(32.0)
  Double getMaxRequestMb();

  void setMaxRequestMb(Double value);

  // ---- api ----
  // Given as --endpoint (cli.OptionsParser maps it): Beam's s3:// module owns the property "endpoint".
  @Description("[api] Service base URL; the client POSTs {endpoint}/chat/completions. Unset: the real service "
      + "when an API key is present, else the embedded simulator.")
  String getGlmEndpoint();

  void setGlmEndpoint(String value);

  @Description("[api] File holding the API key (<id>.<secret>); otherwise the ZHIPUAI_API_KEY environment "
      + "variable is used.")
  String getApiKeyFile();

  void setApiKeyFile(String value);

  @Description("[api] How the key is sent: raw (Bearer <key>, the documented default) or jwt (HS256 token built "
      + "from the key, renewed before expiry).")
  @Default.String("raw")
  String getAuth();

  void setAuth(String value);

  @Description("[api] Account tier: V0, V1, V2 or V3, capping requests in flight at 5, 10, 15 or 20.")
  @Default.String("V0")
  String getTier();

  void setTier(String value);

  @Description("[api] Requests in flight, overriding --tier (for accounts whose limit the provider raised).")
  Integer getMaxInFlight();

  void setMaxInFlight(Integer value);

  @Description("[api] Worker JVMs the batch runs on (TaskManagers, executors). Above 1, the workers share the "
      + "account's cap through lease files in the output folder (.slots/), so whichever workers have work use the whole "
      + "cap (on an object-store --outputDir each JVM holds floor(cap / clusterWorkers) instead), and each JVM holds "
      + "1/clusterWorkers of --maxCostRmb. 1 for Direct, Flink [local] and Spark local[N], which run in one JVM.")
  @Default.Integer(1)
  Integer getClusterWorkers();

  void setClusterWorkers(Integer value);

  @Description("[api] With --clusterWorkers above 1: a worker's slot lease not renewed for this many seconds (its "
      + "worker died) is taken over by the others. Its live holder renews it every quarter of this time.")
  @Default.Integer(60)
  Integer getSlotLeaseSeconds();

  void setSlotLeaseSeconds(Integer value);

  @Description("[api] Lower our in-flight limit when the service answers 1302 below our cap (another program "
      + "shares the key), and probe back up.")
  @Default.Boolean(true)
  Boolean getAdaptiveConcurrency();

  void setAdaptiveConcurrency(Boolean value);

  @Description("[api] Attempts per item, the first included, for retryable errors (1302, 1303, 1305, 5xx, "
      + "timeouts, dropped connections).")
  @Default.Integer(6)
  Integer getMaxAttempts();

  void setMaxAttempts(Integer value);

  @Description("[api] Connect timeout, seconds.")
  @Default.Integer(8)
  Integer getConnectTimeoutSeconds();

  void setConnectTimeoutSeconds(Integer value);

  @Description("[api] Read timeout, seconds (a non-streaming reply waits for the whole generation).")
  @Default.Integer(300)
  Integer getReadTimeoutSeconds();

  void setReadTimeoutSeconds(Integer value);

  @Description("[api] Deadline per item across all its attempts, seconds.")
  @Default.Integer(900)
  Integer getItemDeadlineSeconds();

  void setItemDeadlineSeconds(Integer value);

  @Description("[api] Largest reply body accepted, bytes (declared or actually sent); a larger one is that item's "
      + "error, recorded uncertain (it may have been billed). The default, 128 MiB, is 1.9 x 10 minutes of reply "
      + "audio as base64.")
  @Default.Long(134_217_728L)
  Long getMaxReplyBytes();

  void setMaxReplyBytes(Long value);

  @Description("[api] After a request times out unanswered, its slot stays taken until this many seconds after it "
      + "was sent: the service may still count it against the account's cap.")
  @Default.Integer(600)
  Integer getServiceMaxRequestSeconds();

  void setServiceMaxRequestSeconds(Integer value);

  @Description("[api] Stop sending (exit code 3) after this many attempts in a row, across items, get no answer "
      + "from the service (refused, reset or timed out); 0 never stops.")
  @Default.Integer(20)
  Integer getMaxConsecutiveConnectionFailures();

  void setMaxConsecutiveConnectionFailures(Integer value);

  @Description("[api] Allow a plain http:// endpoint that is not on loopback (the key would travel unencrypted).")
  @Default.Boolean(false)
  Boolean getAllowInsecureEndpoint();

  void setAllowInsecureEndpoint(Boolean value);

  @Description("[api] Model name sent in each request.")
  @Default.String("glm-4-voice")
  String getModel();

  void setModel(String value);

  @Description("[api] Sample rate assumed for reply audio that is raw PCM (not a RIFF file); undocumented, the "
      + "official sample uses 44100.")
  @Default.Integer(44100)
  Integer getReplyPcmSampleRate();

  void setReplyPcmSampleRate(Integer value);

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

  // ---- money ----
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

  // ---- progress ----
  @Description("[progress] Seconds between progress lines when stderr is not a terminal (cron, CI, | tee); on a "
      + "terminal one live line is redrawn every second.")
  @Default.Integer(10)
  Integer getProgressIntervalSeconds();

  void setProgressIntervalSeconds(Integer value);

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

  // ---- resume ----
  @Description("[resume] On a re-run, send again the items whose last state is failed.")
  @Default.Boolean(true)
  Boolean getRetryFailed();

  void setRetryFailed(Boolean value);

  @Description("[resume] On a re-run, send again items that were in flight when the last run died (they may "
      + "have been billed).")
  @Default.Boolean(true)
  Boolean getResendUncertain();

  void setResendUncertain(Boolean value);

  // ---- simulator ----
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
