package io.glmvoicebatch.api;

import java.io.Serializable;

/** Token counts as billed by the service ({@code usage} of a reply). */
public final class Usage implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long promptTokens;
  private final long completionTokens;
  private final long totalTokens;

  private Usage(long promptTokens, long completionTokens, long totalTokens) {
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
    this.totalTokens = totalTokens;
  }

  public static Usage of(long promptTokens, long completionTokens, long totalTokens) {
    if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
    return new Usage(promptTokens, completionTokens, totalTokens);
  }

  public long promptTokens() {
    return promptTokens;
  }

  public long completionTokens() {
    return completionTokens;
  }

  public long totalTokens() {
    return totalTokens;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Usage u
        && u.promptTokens == promptTokens
        && u.completionTokens == completionTokens
        && u.totalTokens == totalTokens;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(promptTokens) * 961 + Long.hashCode(completionTokens) * 31 + Long.hashCode(totalTokens);
  }

  @Override
  public String toString() {
    return "Usage[prompt=" + promptTokens + ", completion=" + completionTokens + ", total=" + totalTokens + "]";
  }
}
