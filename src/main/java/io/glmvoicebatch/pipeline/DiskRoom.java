package io.glmvoicebatch.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Room on the output folder's file store for the replies of the requests in flight, checked before each
 * request is sent: a request is sent only if the store's usable space covers its reply's worst case
 * ({@link ReplySize}) plus those of every request whose reply is not written yet. A reservation is given back
 * once its reply is written (its bytes are then part of the used space). When one does not fit while others
 * are in flight, it waits for them (their replies are usually far smaller than the worst case) and decides
 * then; one that does not fit with nothing in flight stops sending for the rest of the run, as does a reply
 * that could not be written ({@link #full}). One per batch and worker JVM, held by the batch's
 * {@link BatchRuntime}, like {@link Budget}.
 */
public final class DiskRoom {

  private final String folder;
  private final LongSupplier usableBytes;
  private long reserved;
  private int reservations;
  private String fullBecause;

  DiskRoom(String folder, LongSupplier usableBytes) {
    this.folder = folder;
    this.usableBytes = usableBytes;
  }

  /** The room on the file store of the local folder {@code root}. */
  static DiskRoom on(Path root) {
    return new DiskRoom(root.toString(), () -> usable(root));
  }

  private static long usable(Path root) {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space of " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reserves {@code bytes} for one request's reply, waiting while replies in flight may still be written
   * smaller than their worst case; returns null when reserved, else the one-line reason sending stopped.
   */
  public synchronized String tryReserve(long bytes) throws InterruptedException {
    while (fullBecause == null) {
      long usable = usableBytes.getAsLong();
      if (usable - reserved >= bytes) {
        reserved += bytes;
        reservations++;
        return null;
      }
      if (reservations == 0) {
        fullBecause = "disk full: --outputDir=" + folder + " has " + mb(usable) + " free, and the next reply may "
            + "need up to " + mb(bytes) + " (its max_tokens of speech, the reply text and a margin for the ledger"
            + "; docs/output-folder.md); free some space or move the folder to a larger disk, then run the same "
            + "command: nothing already paid for is sent again";
        notifyAll(); // the other waiters stop too
        break;
      }
      wait();
    }
    return fullBecause;
  }

  /** Gives back a reservation: its reply is written (or will never come). */
  public synchronized void release(long bytes) {
    reserved -= bytes;
    reservations--;
    notifyAll();
  }

  /** Stops sending: a paid reply could not be written (the disk filled up anyway, or the folder failed). */
  public synchronized void full(String why) {
    if (fullBecause == null) {
      fullBecause = why;
    }
    notifyAll();
  }

  /** Why sending stopped, or null while there is room. */
  public synchronized String fullBecause() {
    return fullBecause;
  }

  /** Bytes reserved for replies not written yet. */
  public synchronized long reserved() {
    return reserved;
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.2f MB (%,d bytes)", bytes / 1e6, bytes);
  }
}
