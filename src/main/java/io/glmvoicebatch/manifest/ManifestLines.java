package io.glmvoicebatch.manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lines of a manifest (LF or CRLF), with the byte offset just past the last line returned, so a part of
 * the manifest can be found again by its byte range. The encoding is detected from the file's first block
 * ({@link ManifestEncoding}), or given when a part is read on its own. A line that cannot be decoded is
 * returned as null, and {@link #problem()} says why. An I/O error surfaces as UncheckedIOException.
 */
final class ManifestLines implements Iterator<String> {
  private final InputStream in;
  private final String source;
  private ManifestEncoding encoding;
  private ManifestEncoding.Line last;
  private ManifestEncoding.Line pending;
  private final byte[] buf = new byte[1 << 16];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private int pos;
  private int limit;
  private long consumed;
  private int count;
  private boolean eof;

  /** {@code encoding}: null when {@code in} starts at the file's first byte, to detect it there. */
  ManifestLines(InputStream in, String source, ManifestEncoding encoding) {
    this.in = in;
    this.source = source;
    this.encoding = encoding;
  }

  /** The file's encoding: known once {@link #hasNext()} was first asked. */
  ManifestEncoding encoding() {
    return encoding;
  }

  /** Why the last returned line (null) could not be decoded; null when it was. */
  String problem() {
    return last == null ? null : last.problem();
  }

  /** Lines returned so far. */
  int count() {
    return count;
  }

  /** Bytes of the stream up to and including the last returned line's terminator. */
  long position() {
    return consumed;
  }

  @Override
  public boolean hasNext() {
    if (pending == null && !eof) {
      try {
        if (encoding == null) {
          detect();
        }
        pending = readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      eof = pending == null;
    }
    return pending != null;
  }

  /** From the first block, cut at its last line break so no character is split; the byte-order mark is skipped. */
  private void detect() throws IOException {
    limit = in.readNBytes(buf, 0, buf.length);
    int end = limit;
    while (end > 0 && buf[end - 1] != '\n') {
      end--;
    }
    encoding = ManifestEncoding.detect(Arrays.copyOf(buf, end > 0 ? end : limit), source).requireNewlineBytes(source);
    pos = encoding.bomLength();
    consumed = pos;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    last = pending;
    pending = null;
    count++;
    return last.text();
  }

  private ManifestEncoding.Line readLine() throws IOException {
    line.reset();
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? decode() : null;
        }
      }
      any = true;
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          line.write(buf, pos, i - pos);
          consumed += i + 1 - pos;
          pos = i + 1;
          return decode();
        }
      }
      line.write(buf, pos, limit - pos);
      consumed += limit - pos;
      pos = limit;
    }
  }

  private ManifestEncoding.Line decode() {
    byte[] bytes = line.toByteArray();
    int n = bytes.length;
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    return encoding.decodeLine(count + 1, bytes, 0, n);
  }
}
