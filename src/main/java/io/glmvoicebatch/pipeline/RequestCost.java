package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.TokenEstimate;
import io.glmvoicebatch.ledger.Cost;
import java.math.BigDecimal;

/**
 * What an item's request will cost before it is sent: prompt tokens from the exact audio frame count
 * (ceil(seconds x 12.5)) plus the text estimate, and the worst case with the whole max_tokens answer.
 */
public record RequestCost(long promptTokens, long maxCompletionTokens, long expectedCompletionTokens) {
  public static RequestCost of(PreparedItem prepared, long expectedCompletionTokens) {
    var audio = prepared.audio();
    long prompt = TokenEstimate.audioTokens(audio.frames(), audio.sampleRate())
        + TokenEstimate.textTokens(TokenEstimate.promptText(prepared.item().params().system(), prepared.item().params().prompt()));
    int max = prepared.item().params().effectiveMaxTokens();
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
