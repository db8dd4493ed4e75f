package io.glmvoicebatch.pipeline;

import java.io.Serializable;

/**
 * The most disk a request's reply can take, known before it is sent, so a full disk stops sending before a
 * paid reply has nowhere to go (docs/output-folder.md, "Disk space").
 *
 * <p>Reply audio is bounded by max_tokens: the service counts {@code audioTokensPerSecond} tokens per second
 * of speech (12.5 for input audio [C]; the same rate for reply speech is an assumption [I], hence
 * {@code --replyAudioTokensPerSecond}), and every completion token may be speech. It is stored as a 16-bit
 * WAV at the raw reply format's rate ({@code --replyPcmSampleRate}, mono, 44-byte header) [I]. Whatever the
 * rate, a stored reply cannot be larger than the reply body it came in ({@code --maxReplyBytes}, base64: 3
 * bytes per 4). The reply text takes at most {@value #TEXT_BYTES_PER_TOKEN} bytes per completion token. A
 * fixed {@code marginBytes} per request covers its ledger lines (an intent per attempt and the outcome).
 *
 * @param sentAudio whether the audio as sent is kept too ({@code normalized/}, for dataset builds)
 */
public record ReplySize(double audioTokensPerSecond, int pcmSampleRate, long maxReplyBytes, long marginBytes,
    boolean sentAudio) implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int TEXT_BYTES_PER_TOKEN = 16;
  private static final int WAV_HEADER = 44;

  public ReplySize {
    if (!(audioTokensPerSecond > 0) || pcmSampleRate <= 0 || maxReplyBytes <= 0 || marginBytes < 0) {
      throw new IllegalArgumentException("replyAudioTokensPerSecond, replyPcmSampleRate and maxReplyBytes must be "
          + "above 0 and diskMarginBytes 0 or more");
    }
  }

  public static ReplySize defaults() {
    return new ReplySize(12.5, 44_100, 134_217_728L, 65_536L, false);
  }

  public ReplySize keepingSentAudio(boolean keep) {
    return new ReplySize(audioTokensPerSecond, pcmSampleRate, maxReplyBytes, marginBytes, keep);
  }

  /** Bytes the reply to a request with this max_tokens may need, its ledger margin included. */
  public long worstCaseBytes(int maxTokens, long sentAudioBytes) {
    long frames = (long) Math.ceil(maxTokens / audioTokensPerSecond * pcmSampleRate);
    long audio = WAV_HEADER + Math.min(2 * frames, maxReplyBytes / 4 * 3);
    long text = Math.min((long) TEXT_BYTES_PER_TOKEN * maxTokens, maxReplyBytes);
    return audio + text + (sentAudio ? sentAudioBytes : 0) + marginBytes;
  }

  /** The same for a prepared request. */
  long worstCaseBytes(PreparedItem prepared) {
    return worstCaseBytes(prepared.item().params().effectiveMaxTokens(),
        sentAudio ? prepared.audio().wavBytes().length : 0);
  }
}
