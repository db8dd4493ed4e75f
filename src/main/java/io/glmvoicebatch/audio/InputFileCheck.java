package io.glmvoicebatch.audio;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What an input path must be before a single byte of it is read: a regular file no larger than the limit.
 * A FIFO blocks its reader on open, {@code /dev/zero} and {@code /dev/urandom} never end: reading any of them
 * would hang the whole batch, so they are refused by type, from the file's metadata alone ({@code stat}
 * never opens the file). Symbolic links are followed: a link to a regular file is a regular file.
 *
 * @param maxBytes the largest input accepted ({@code --maxInputFileBytes})
 */
public record InputFileCheck(long maxBytes) implements Serializable {
  /** 4 GiB: above any lesson recording (2 h of 48 kHz stereo 24-bit is 2.1 GB), below a disk-filling mistake. */
  public static final long DEFAULT_MAX_BYTES = 4L << 30;

  public InputFileCheck {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("the input size limit must be positive, got " + maxBytes);
    }
  }

  public static InputFileCheck defaults() {
    return new InputFileCheck(DEFAULT_MAX_BYTES);
  }

  /** Null when {@code file} may be read, else what is wrong with it (for the item's error message). */
  public String problemWith(Path file) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return "file not found";
    } catch (AccessDeniedException e) {
      return "permission denied";
    } catch (IOException e) {
      return "cannot be read: " + e.getMessage();
    }
    if (attributes.isDirectory()) {
      return "is a directory, not a file";
    }
    if (!attributes.isRegularFile()) {
      return "is " + kind(file) + ", not a regular file: not read";
    }
    return problemWithSize(attributes.size());
  }

  /** Null when an input of {@code size} bytes is within the limit, else why not. */
  public String problemWithSize(long size) {
    if (size > maxBytes) {
      return "is " + size + " bytes, over the input limit of " + maxBytes + " bytes (--maxInputFileBytes)";
    }
    return null;
  }

  /** The kind of a non-regular file, from its mode bits where the platform exposes them. */
  private static String kind(Path file) {
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO (named pipe)";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return "a special file";
    }
  }
}
