package io.glmvoicebatch.ledger;

import java.math.BigDecimal;

/** Token cost in exact decimal arithmetic: a bill must match to the last digit, so never a double. */
public final class Cost {
  /** The documented price of glm-4-voice, for input and output alike. */
  public static final BigDecimal DEFAULT_PRICE_PER_MILLION_TOKENS = new BigDecimal("80");

  public static final String DEFAULT_CURRENCY = "RMB";

  private Cost() {}

  /** tokens x price / 1,000,000, exactly (a division by a power of ten never rounds in BigDecimal). */
  public static BigDecimal of(long tokens, BigDecimal pricePerMillionTokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("negative token count: " + tokens);
    }
    BigDecimal exact = BigDecimal.valueOf(tokens).multiply(pricePerMillionTokens).movePointLeft(6);
    return exact.signum() == 0 ? BigDecimal.ZERO : exact.stripTrailingZeros();
  }

  /** Plain decimal text, never scientific notation ("0.03576", not "3.576E-2"). */
  public static String format(BigDecimal amount) {
    return amount.toPlainString();
  }
}
