package io.glmvoicebatch.pipeline;

import java.io.Serializable;

/**
 * Which items an earlier run left unfinished are sent again.
 *
 * @param retryFailed send again items whose last state is failed
 * @param resendUncertain send again items that were in flight when the last run died (may have been billed)
 */
public record ResumePolicy(boolean retryFailed, boolean resendUncertain) implements Serializable {
  public static ResumePolicy defaults() {
    return new ResumePolicy(true, true);
  }
}
