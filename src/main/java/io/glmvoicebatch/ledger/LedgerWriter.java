package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends ledger lines to a local file durably: each line is written whole and fsynced before
 * {@link #append} returns, so an item counts as done only once its line survives a crash. Lines appended
 * at the same moment share one fsync ({@link GroupCommit}). One writer per file per JVM (shared by all
 * Beam threads through {@link #open}), so two threads never interleave bytes within a line.
 */
public final class LedgerWriter implements LedgerSink {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
  private static final Map<Path, LedgerWriter> OPEN = new HashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final GroupCommit commit;
  private int users;

  private LedgerWriter(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
    this.commit = new GroupCommit("ledger " + file, this::writeAndForce);
  }

  /** The JVM's writer for {@code file}, opened (and its torn tail set aside) on first use. */
  public static LedgerWriter open(Path file) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (OPEN) {
      LedgerWriter writer = OPEN.get(key);
      if (writer == null) {
        try {
          Files.createDirectories(key.getParent());
          TornTail.setAside(key);
          FileChannel channel =
              FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
          writer = new LedgerWriter(key, channel);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open ledger " + key + ": " + e.getMessage(), e);
        }
        OPEN.put(key, writer);
      }
      writer.users++;
      return writer;
    }
  }

  public Path file() {
    return file;
  }

  /** Writes one line and returns once it is on disk. */
  @Override
  public void append(LedgerRecord record) {
    commit.append((LedgerJson.line(record) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void writeAndForce(List<byte[]> lines) throws IOException {
    int size = 0;
    for (byte[] line : lines) {
      size += line.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    lines.forEach(buf::put);
    buf.flip();
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    channel.force(false);
  }

  /** Releases this user's hold; the file closes when the last user is done. */
  @Override
  public void close() {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(file);
      try {
        channel.close();
      } catch (IOException e) {
        LOG.warn("closing ledger {}: {}", file, e.getMessage());
      }
    }
  }
}
