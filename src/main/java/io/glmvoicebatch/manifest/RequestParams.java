package io.glmvoicebatch.manifest;

import java.io.Serializable;

/**
 * What one item asks of the model besides its audio: the optional prompt and system text and sampling settings,
 * as a manifest line gives them (null = not given, so the service's default applies). The one home of these
 * fields and of their documented limits and defaults (docs/service.md): the manifest reader, the request the
 * client sends, the ledger line and the dataset export all carry this value rather than the five fields.
 */
public record RequestParams(String prompt, String system, Integer maxTokens, Double temperature, Double topP)
    implements Serializable {

  /** Documented bounds (the reply is capped at 4K tokens). */
  public static final int MAX_TOKENS_MIN = 1;
  public static final int MAX_TOKENS_MAX = 4096;
  public static final double TEMPERATURE_MIN = 0.0;
  public static final double TEMPERATURE_MAX = 1.0;
  public static final double TOP_P_MIN = 0.01;
  public static final double TOP_P_MAX = 1.0;

  /** The service's defaults when a field is not sent (docs/service.md lists them as assumptions). */
  public static final int DEFAULT_MAX_TOKENS = 1024;
  public static final double DEFAULT_TEMPERATURE = 0.8;
  public static final double DEFAULT_TOP_P = 0.6;

  /** Nothing asked beyond the audio. */
  public static final RequestParams NONE = new RequestParams(null, null, null, null, null);

  /**
   * This value, or an IllegalArgumentException naming the field as the manifest and the API spell it when a
   * value is outside the documented bounds. Checked where a request is asked for (the manifest, the client),
   * not where one is recorded: a ledger line reads as written, so resume never re-sends an item over it.
   */
  public RequestParams requireWithinLimits() {
    if (maxTokens != null && (maxTokens < MAX_TOKENS_MIN || maxTokens > MAX_TOKENS_MAX)) {
      throw new IllegalArgumentException(
          "max_tokens must be in " + MAX_TOKENS_MIN + ".." + MAX_TOKENS_MAX + ", got " + maxTokens);
    }
    if (temperature != null && !(temperature >= TEMPERATURE_MIN && temperature <= TEMPERATURE_MAX)) {
      throw new IllegalArgumentException(
          "temperature must be in [" + TEMPERATURE_MIN + ", " + TEMPERATURE_MAX + "], got " + temperature);
    }
    if (topP != null && !(topP >= TOP_P_MIN && topP <= TOP_P_MAX)) {
      throw new IllegalArgumentException("top_p must be in [" + TOP_P_MIN + ", " + TOP_P_MAX + "], got " + topP);
    }
    return this;
  }

  public static RequestParams prompt(String prompt) {
    return new RequestParams(prompt, null, null, null, null);
  }

  public RequestParams withPrompt(String prompt) {
    return new RequestParams(prompt, system, maxTokens, temperature, topP);
  }

  public RequestParams withSystem(String system) {
    return new RequestParams(prompt, system, maxTokens, temperature, topP);
  }

  public RequestParams withMaxTokens(Integer maxTokens) {
    return new RequestParams(prompt, system, maxTokens, temperature, topP);
  }

  public RequestParams withSampling(Double temperature, Double topP) {
    return new RequestParams(prompt, system, maxTokens, temperature, topP);
  }

  /** max_tokens as the service applies it: the item's, or the default. */
  public int effectiveMaxTokens() {
    return maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens;
  }

  public double effectiveTemperature() {
    return temperature == null ? DEFAULT_TEMPERATURE : temperature;
  }

  public double effectiveTopP() {
    return topP == null ? DEFAULT_TOP_P : topP;
  }
}
