package io.glmvoicebatch.manifest;

import java.io.IOException;

/** The manifest as a whole cannot be used (its encoding, or a CSV without usable columns): a configuration error. */
public final class UnusableManifestException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnusableManifestException(String message) {
    super(message);
  }
}
