package io.glmvoicebatch.api;

/**
 * The token arithmetic the service documents for input audio, plus our estimate for text.
 *
 * <p>Audio: 12.5 tokens per second, rounded up per clip (documented rate; per-clip rounding is an
 * assumption, see docs/service.md, "API assumptions"). Text: the service does not publish its tokenizer, so we
 * estimate one token per CJK character and one per four other non-space characters (assumption).
 */
public final class TokenEstimate {
  /** Documented billing rate for input audio. */
  public static final double AUDIO_TOKENS_PER_SECOND = 12.5;

  private TokenEstimate() {}

  /** ceil(seconds x 12.5), computed from the exact frame count to avoid floating-point drift. */
  public static long audioTokens(long frames, int sampleRate) {
    if (frames <= 0) {
      return 0;
    }
    // tokens = ceil(frames * 12.5 / rate) = ceil(frames * 25 / (2 * rate)), in exact integer arithmetic.
    long numerator = frames * 25L;
    long denominator = 2L * sampleRate;
    return (numerator + denominator - 1) / denominator;
  }

  /** Estimated text tokens: 1 per CJK ideograph/kana/hangul, 1 per 4 other non-whitespace chars (rounded up). */
  public static long textTokens(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    long cjk = 0;
    long other = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        continue;
      }
      Character.UnicodeScript script = Character.UnicodeScript.of(cp);
      if (script == Character.UnicodeScript.HAN
          || script == Character.UnicodeScript.HIRAGANA
          || script == Character.UnicodeScript.KATAKANA
          || script == Character.UnicodeScript.HANGUL) {
        cjk++;
      } else {
        other++;
      }
    }
    return cjk + (other + 3) / 4;
  }

  /**
   * The text of a request as one string, in message order: the service counts a request's text as a whole,
   * so per-part counts (each rounded up) would overestimate.
   */
  public static String promptText(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String part : parts) {
      if (part != null && !part.isEmpty()) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(part);
      }
    }
    return sb.toString();
  }
}
