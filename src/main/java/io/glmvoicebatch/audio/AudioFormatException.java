package io.glmvoicebatch.audio;

import java.io.IOException;

/** STUB: replaced by the real audio package at merge. */
public class AudioFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public AudioFormatException(String message) {
    super(message);
  }
}
