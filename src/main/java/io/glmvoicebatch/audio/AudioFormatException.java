package io.glmvoicebatch.audio;

import java.io.IOException;

/**
 * Thrown for any unreadable, unsupported or broken audio input.
 *
 * <p>The message is precise and user-facing ("fmt chunk declares 0 channels", "no data chunk", ...)
 * and never contains the file path: the caller adds item id and file name.
 */
public class AudioFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public AudioFormatException(String message) {
    super(message);
  }
}
