package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per output folder: an OS lock ({@link FileChannel#tryLock}) on {@value #FILE} in the folder,
 * held for the whole run. The kernel drops it when the process ends however it ends (kill -9 included),
 * so a lock left by a dead run never blocks; the file itself stays, and only its lock counts. The holder
 * writes its pid, host and start time into the file so a refused run can name it.
 *
 * <p>Only for local or mounted folders: an object store has no such lock (see docs/output-folder.md).
 * On NFS the lock is as good as the mount's lock manager.
 */
public final class FolderLock implements AutoCloseable {
  public static final String FILE = ".glm-voice-batch.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Another run holds the folder. */
  public static final class HeldException extends Exception {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  /**
   * Takes the folder's lock at once or refuses: never waits.
   *
   * @throws HeldException when another process (or another run in this JVM) holds it, naming the holder
   * @throws IOException when the lock file cannot be created or locked
   */
  public static FolderLock acquire(Path folder) throws HeldException, IOException {
    Path file = folder.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new HeldException("another run is writing to this folder (" + holder + "; lock file " + file
          + "); wait for it to end, or use another --outputDir");
    }
    try {
      byte[] me = ("pid " + ProcessHandle.current().pid() + " on host " + hostName() + ", started "
          + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(me), 0);
      channel.force(false);
    } catch (IOException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new FolderLock(channel, lock);
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(512);
      channel.read(buf, 0);
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
      // The holder writes its line just after locking: a race this narrow leaves the file empty.
      return text.isEmpty() ? "holder not yet named" : "held by " + text;
    } catch (IOException e) {
      return "holder unknown: " + e.getMessage();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Releases the lock; the file stays (deleting it would let a later run lock a name another run holds open). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }
}
