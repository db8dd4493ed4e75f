package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.TokenEstimate;
import java.io.Serializable;

/**
 * How recordings longer than one request are handled: split at pauses into segments that each fit the
 * API's 10-minute audio limit, its 8K-token context (audio tokens + text + max_tokens) and a request-size
 * limit, or refused.
 *
 * @param split split long recordings (false: fail them with a clear error)
 * @param maxSeconds longest segment, seconds, before the context and size limits are applied
 * @param maxRequestBytes largest request body we send, bytes (base64 audio + text + JSON framing)
 */
public record SegmentPolicy(boolean split, double maxSeconds, long maxRequestBytes) implements Serializable {
  /** The API's documented limit on input audio per request. */
  public static final double API_MAX_SECONDS = 600.0;
  /** The documented context window: prompt tokens plus max_tokens. */
  public static final int CONTEXT_TOKENS = 8192;
  /**
   * Assumed request-size limit [I]: the service documents none, so the default lets through the largest request
   * it documents (10 minutes of 16 kHz 16-bit mono, 25.6 MB in base64) with room to spare; a gateway that
   * refuses smaller bodies is met by lowering {@code --maxRequestMb}.
   */
  public static final double DEFAULT_MAX_REQUEST_MB = 32.0;
  /** Slack for message framing the service may count that our text estimate does not. */
  static final int CONTEXT_MARGIN_TOKENS = 64;
  /** JSON around the audio and text (model, messages, roles, parameters, request_id), generously. */
  static final int FRAMING_BYTES = 4096;

  public SegmentPolicy(boolean split, double maxSeconds) {
    this(split, maxSeconds, megabytes(DEFAULT_MAX_REQUEST_MB));
  }

  public static SegmentPolicy defaults() {
    return new SegmentPolicy(true, API_MAX_SECONDS);
  }

  public static long megabytes(double mb) {
    return (long) Math.floor(mb * 1024 * 1024);
  }

  /** Longest audio one request of this item may carry, seconds, for 16 kHz 16-bit mono audio and no text bytes. */
  /**
   * Null when {@code limitSeconds} leaves room for more than a second of audio, else why not: such an item
   * (a prompt of thousands of characters) is its own error, not a batch crash in the splitter.
   */
  public static String noRoomForAudio(double limitSeconds, int maxTokens, long textTokens) {
    if (limitSeconds > 1.0) {
      return null;
    }
    return "the prompt and system text (about " + textTokens + " tokens) with max_tokens " + maxTokens
        + " leave no room for audio in the " + CONTEXT_TOKENS + "-token context and the request size limit";
  }

  public double limitSeconds(int maxTokens, long textTokens) {
    return limitSeconds(maxTokens, textTokens, 32000, 0);
  }

  /**
   * Longest audio one request of this item may carry, seconds.
   *
   * @param audioBytesPerSecond bytes of the WAV file sent per second of audio (32,000 for 16 kHz 16-bit mono)
   * @param textBytes UTF-8 bytes of the prompt and system text
   */
  public double limitSeconds(int maxTokens, long textTokens, double audioBytesPerSecond, long textBytes) {
    long audioTokens = CONTEXT_TOKENS - maxTokens - textTokens - CONTEXT_MARGIN_TOKENS;
    double contextSeconds = Math.floor(audioTokens / TokenEstimate.AUDIO_TOKENS_PER_SECOND);
    // Base64 makes 4 bytes of 3; text is counted twice over for JSON escapes.
    double wavBytes = (maxRequestBytes - FRAMING_BYTES - 2.0 * textBytes) * 3 / 4;
    double sizeSeconds = Math.floor(wavBytes / audioBytesPerSecond);
    return Math.min(Math.min(Math.min(maxSeconds, API_MAX_SECONDS), contextSeconds), sizeSeconds);
  }
}
