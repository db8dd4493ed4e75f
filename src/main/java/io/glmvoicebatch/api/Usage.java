package io.glmvoicebatch.api;

import java.io.Serializable;

/** Token counts as billed by the service ({@code usage} of a reply). */
public record Usage(long promptTokens, long completionTokens, long totalTokens) implements Serializable {
  public Usage {
    if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
  }

  public static Usage of(long promptTokens, long completionTokens, long totalTokens) {
    return new Usage(promptTokens, completionTokens, totalTokens);
  }
}
