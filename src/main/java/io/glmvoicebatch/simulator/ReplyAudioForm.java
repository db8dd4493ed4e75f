package io.glmvoicebatch.simulator;

/**
 * Byte layout of {@code choices[0].message.audio.data} after base64 decoding.
 *
 * <p>The API does not document it (see glm4voice-api.md section 4), so the simulator can serve
 * either form the client must be able to sniff.
 */
public enum ReplyAudioForm {
  /** Raw signed 16-bit little-endian mono PCM, no header: what the current official sample writes. */
  RAW_PCM_44K,
  /** A complete RIFF/WAVE file (16-bit mono PCM), as older samples and third-party clients assume. */
  WAV
}
