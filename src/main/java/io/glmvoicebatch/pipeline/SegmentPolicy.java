package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.TokenEstimate;
import java.io.Serializable;

/**
 * How recordings longer than one request are handled: split at pauses into segments that each fit both
 * the API's 10-minute audio limit and its 8K-token context (audio tokens + text + max_tokens), or refused.
 *
 * @param split split long recordings (false: fail them with a clear error)
 * @param maxSeconds longest segment, seconds, before the context limit is applied
 */
public record SegmentPolicy(boolean split, double maxSeconds) implements Serializable {
  /** The API's documented limit on input audio per request. */
  public static final double API_MAX_SECONDS = 600.0;
  /** The documented context window: prompt tokens plus max_tokens. */
  public static final int CONTEXT_TOKENS = 8192;
  /** Slack for message framing the service may count that our text estimate does not. */
  static final int CONTEXT_MARGIN_TOKENS = 64;

  public static SegmentPolicy defaults() {
    return new SegmentPolicy(true, API_MAX_SECONDS);
  }

  /** Longest audio one request of this item may carry, seconds. */
  public double limitSeconds(int maxTokens, long textTokens) {
    long audioTokens = CONTEXT_TOKENS - maxTokens - textTokens - CONTEXT_MARGIN_TOKENS;
    double contextSeconds = Math.floor(audioTokens / TokenEstimate.AUDIO_TOKENS_PER_SECOND);
    return Math.min(Math.min(maxSeconds, API_MAX_SECONDS), contextSeconds);
  }
}
