package io.glmvoicebatch.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A {@link ByteSource} reading a file through a channel, block by block. */
final class FileByteSource implements ByteSource {
  private final FileChannel channel;
  private final long size;

  private FileByteSource(FileChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  /** Opens the file, translating I/O failures into path-free messages. */
  static FileByteSource open(Path file) throws AudioFormatException {
    if (Files.isDirectory(file)) {
      throw new AudioFormatException("is a directory, not a file");
    }
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      return new FileByteSource(ch, ch.size());
    } catch (NoSuchFileException e) {
      throw new AudioFormatException("file not found");
    } catch (AccessDeniedException e) {
      throw new AudioFormatException("permission denied");
    } catch (IOException e) {
      throw readError(e);
    }
  }

  static AudioFormatException readError(IOException e) {
    // The JDK's messages usually embed the path; keep only the kind of failure.
    return new AudioFormatException("read error (" + e.getClass().getSimpleName() + ")");
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(long position, byte[] dst, int off, int len) throws AudioFormatException {
    ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
    try {
      long pos = position;
      while (buf.hasRemaining()) {
        int n = channel.read(buf, pos);
        if (n < 0) {
          break;
        }
        pos += n;
      }
    } catch (IOException e) {
      throw readError(e);
    }
    return buf.position() - off;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
