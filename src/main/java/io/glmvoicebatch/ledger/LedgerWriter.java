package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends ledger lines to a local file durably: each line is written whole and fsynced before
 * {@link #append} returns, so an item counts as done only once its line survives a crash. Lines appended
 * at the same moment share one fsync ({@link GroupCommit}). Safe for many threads: a batch shares one
 * writer per JVM (its {@code BatchRuntime} owns it), so two threads never interleave bytes within a line.
 */
public final class LedgerWriter implements LedgerSink {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);

  private final Path file;
  private final FileChannel channel;
  private final GroupCommit commit;

  private LedgerWriter(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
    this.commit = new GroupCommit("ledger " + file, this::writeAndForce);
  }

  /** Opens {@code file} for appending (its torn tail set aside first); the caller closes it. */
  public static LedgerWriter open(Path file) {
    Path key = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(key.getParent());
      TornTail.setAside(key);
      FileChannel channel =
          FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new LedgerWriter(key, channel);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open ledger " + key + ": " + e.getMessage(), e);
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

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("closing ledger {}: {}", file, e.getMessage());
    }
  }
}
