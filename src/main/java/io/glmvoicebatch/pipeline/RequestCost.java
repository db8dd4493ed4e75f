package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.TokenEstimate;
import io.glmvoicebatch.ledger.Cost;
import java.math.BigDecimal;

/**
 * What an item's request will cost before it is sent: prompt tokens from the exact audio frame count
 * (ceil(seconds x 12.5)) plus the text estimate, and the worst case with the whole max_tokens answer.
 */
public record RequestCost(long promptTokens, long maxCompletionTokens, long expectedCompletionTokens) {
  /** The API's default max_tokens when a request does not set it. */
  public static final int DEFAULT_MAX_TOKENS = 1024;

  public static RequestCost of(PreparedItem prepared, long expectedCompletionTokens) {
    var audio = prepared.audio();
    long prompt = TokenEstimate.audioTokens(audio.frames(), audio.sampleRate())
        + TokenEstimate.textTokens(TokenEstimate.promptText(prepared.item().system(), prepared.item().prompt()));
    int max = prepared.item().maxTokens() == null ? DEFAULT_MAX_TOKENS : prepared.item().maxTokens();
    return new RequestCost(prompt, max, Math.min(max, expectedCompletionTokens));
  }

  public long worstCaseTokens() {
    return promptTokens + maxCompletionTokens;
  }

  public long expectedTokens() {
    return promptTokens + expectedCompletionTokens;
  }

  public BigDecimal worstCase(BigDecimal pricePerMillion) {
    return Cost.of(worstCaseTokens(), pricePerMillion);
  }

  public BigDecimal expected(BigDecimal pricePerMillion) {
    return Cost.of(expectedTokens(), pricePerMillion);
  }
}
