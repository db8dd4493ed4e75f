package io.glmvoicebatch.ledger;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Tokens and money: the tokens the service billed and their exact cost at the line's price and currency
 * (amounts are decimal text, never a double), and for an intent or estimate the request's worst case
 * (prompt + max_tokens) and its cost.
 */
public record UsageCost(Long promptTokens, Long completionTokens, Long totalTokens, String costRmb,
    String pricePerMillionTokens, String currency, Long worstCaseTokens, String worstCaseCost)
    implements Serializable {

  public static final UsageCost NONE = new UsageCost(null, null, null, null, null, null, null, null);

  /** No tokens yet, at {@code pricePerMillion} in {@code currency}: what every line of a batch is stamped with. */
  public static UsageCost priced(String pricePerMillion, String currency) {
    return new UsageCost(null, null, null, null, pricePerMillion, currency, null, null);
  }

  /** The three token counts and their exact cost at {@code pricePerMillion} ({@link Cost#of}). */
  public static UsageCost billed(long prompt, long completion, long total, BigDecimal pricePerMillion,
      String currency) {
    return new UsageCost(prompt, completion, total, Cost.format(Cost.of(total, pricePerMillion)),
        pricePerMillion.toPlainString(), currency, null, null);
  }

  /** These tokens, billed at this line's price ({@link Cost#DEFAULT_PRICE_PER_MILLION_TOKENS} if it has none). */
  public UsageCost withTokens(long prompt, long completion, long total) {
    BigDecimal price = pricePerMillionTokens == null ? Cost.DEFAULT_PRICE_PER_MILLION_TOKENS
        : new BigDecimal(pricePerMillionTokens);
    return billed(prompt, completion, total, price, currency == null ? Cost.DEFAULT_CURRENCY : currency)
        .withWorstCase(worstCaseTokens, worstCaseCost);
  }

  public UsageCost withWorstCase(Long tokens, String cost) {
    return new UsageCost(promptTokens, completionTokens, totalTokens, costRmb, pricePerMillionTokens, currency,
        tokens, cost);
  }

  /** The line's cost, zero when it has none. */
  public BigDecimal cost() {
    return costRmb == null ? BigDecimal.ZERO : new BigDecimal(costRmb);
  }
}
