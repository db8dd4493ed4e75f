package io.glmvoicebatch.simulator;

import java.lang.Character.UnicodeScript;
import java.util.EnumSet;
import java.util.Set;

/**
 * How the simulated service counts tokens, from its documented rules: input audio at 12.5 tokens per
 * second, rounded up per clip; text by the rule the project assumes for the unpublished tokenizer (one
 * token per character of a CJK script, one per four other non-space characters, over a request's whole
 * text). Written apart from the client's estimate on purpose: tests compare the two, so a slip in either
 * shows as a disagreement instead of passing on both sides.
 */
final class ServiceTokens {
  /** Documented billing rate, as a fraction: 12.5 tokens per second = 25 tokens per 2 seconds. */
  private static final long TOKENS_PER_TWO_SECONDS = 25;

  private static final Set<UnicodeScript> ONE_TOKEN_SCRIPTS =
      EnumSet.of(UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA, UnicodeScript.HANGUL);
  private static final int OTHER_CHARACTERS_PER_TOKEN = 4;

  private ServiceTokens() {}

  /** Tokens for {@code frames} sample frames at {@code sampleRate}: ceil(frames / rate × 12.5), exactly. */
  static long audio(long frames, int sampleRate) {
    if (frames <= 0) {
      return 0;
    }
    return -Math.floorDiv(-frames * TOKENS_PER_TWO_SECONDS, 2L * sampleRate);
  }

  /** The largest frame count at {@code sampleRate} that {@link #audio} bills as at most {@code tokens}. */
  static long framesFor(long tokens, int sampleRate) {
    return Math.floorDiv(tokens * 2L * sampleRate, TOKENS_PER_TWO_SECONDS);
  }

  /** Tokens for {@code seconds} of speech, rounded up. */
  static long audioSeconds(double seconds) {
    return (long) Math.ceil(seconds * TOKENS_PER_TWO_SECONDS / 2.0);
  }

  /** Tokens of a text (the whole text of one request or one reply). */
  static long text(String text) {
    if (text == null) {
      return 0;
    }
    long scriptCharacters = text.codePoints()
        .filter(cp -> !Character.isWhitespace(cp) && ONE_TOKEN_SCRIPTS.contains(UnicodeScript.of(cp)))
        .count();
    long others = text.codePoints()
        .filter(cp -> !Character.isWhitespace(cp) && !ONE_TOKEN_SCRIPTS.contains(UnicodeScript.of(cp)))
        .count();
    long otherTokens = others / OTHER_CHARACTERS_PER_TOKEN + (others % OTHER_CHARACTERS_PER_TOKEN == 0 ? 0 : 1);
    return scriptCharacters + otherTokens;
  }
}
