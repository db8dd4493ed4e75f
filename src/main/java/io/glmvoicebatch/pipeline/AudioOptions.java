package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How each clip is read, normalized, trimmed and split before it is sent: they configure {@link ItemPreparation}
 * (as {@code NormalizerSettings}, {@code InputFileCheck} and {@link SegmentPolicy}).
 * Part of {@link VoiceBatchOptions}; each description's [tag] is its group in {@code --help}.
 */
public interface AudioOptions extends PipelineOptions {
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
}
