package io.glmvoicebatch.manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lines of a UTF-8 manifest (LF or CRLF), with the byte offset just past the last line returned, so a
 * part of the manifest can be found again by its byte range. An I/O error surfaces as UncheckedIOException.
 */
final class ManifestLines implements Iterator<String> {
  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private int pos;
  private int limit;
  private long consumed;
  private int count;
  private String next;
  private boolean eof;

  ManifestLines(InputStream in) {
    this.in = in;
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
    if (next == null && !eof) {
      try {
        next = readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      eof = next == null;
    }
    return next != null;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    String s = next;
    next = null;
    count++;
    return s;
  }

  private String readLine() throws IOException {
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

  private String decode() {
    byte[] bytes = line.toByteArray();
    int n = bytes.length;
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }
}
