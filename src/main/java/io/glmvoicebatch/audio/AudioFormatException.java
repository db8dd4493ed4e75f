package io.glmvoicebatch.audio;

import java.io.IOException;

<<<<<<< HEAD
/**
 * Thrown for any unreadable, unsupported or broken audio input.
 *
 * <p>The message is precise and user-facing ("fmt chunk declares 0 channels", "no data chunk", ...)
 * and never contains the file path: the caller adds item id and file name.
 */
=======
/** STUB: replaced by the real audio package at merge. */
>>>>>>> 01d184142877340292c2809d37c9f13ecfaaa782
public class AudioFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public AudioFormatException(String message) {
    super(message);
  }
}
