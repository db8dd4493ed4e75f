package io.glmvoicebatch.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import okhttp3.ResponseBody;

/**
 * Reads a reply body into one array, never more than a cap: a declared length over the cap is refused
 * before a byte is read, and a body without one (chunked, or streaming endlessly) is refused the moment
 * it passes the cap. With a declared length it copies straight into an array of that size as the bytes
 * arrive, so Okio's 8 KB segments go back to its pool as they are emptied; {@link ResponseBody#bytes()}
 * first buffers the whole body in fresh segments and then copies it, a second megabyte of garbage per
 * audio reply.
 */
final class ReplyBodyReader {
  /**
   * Declared lengths up to this are allocated at once (real replies are about a megabyte); a larger one
   * grows as its bytes arrive, so a server that declares a large body and sends little costs little.
   */
  private static final int TRUSTED_DECLARED = 16 * 1024 * 1024;
  private static final int CHUNK = 64 * 1024;

  private ReplyBodyReader() {}

  /** Thrown when a body declares or sends more than the cap; the connection is then abandoned. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  static byte[] read(ResponseBody body, long maxBytes) throws IOException {
    long declared = body.contentLength();
    if (declared > maxBytes) {
      throw new TooLargeException("reply declares Content-Length " + declared + ", over the " + maxBytes
          + "-byte cap (--maxReplyBytes)");
    }
    InputStream in = body.byteStream();
    if (declared >= 0 && declared <= TRUSTED_DECLARED) {
      byte[] out = new byte[(int) declared];
      int got = in.readNBytes(out, 0, out.length);
      if (got < out.length) {
        throw new EOFException("reply body ended after " + got + " of its " + declared + " declared bytes");
      }
      return out;
    }
    return readGrowing(in, declared, maxBytes);
  }

  private static byte[] readGrowing(InputStream in, long declared, long maxBytes) throws IOException {
    byte[] out = new byte[CHUNK];
    int size = 0;
    while (true) {
      if (size == out.length) {
        if (size >= maxBytes) {
          if (in.read() < 0) {
            break; // exactly the cap
          }
          throw new TooLargeException("reply body passed the " + maxBytes + "-byte cap (--maxReplyBytes) "
              + (declared < 0 ? "with no declared length" : "though it declared " + declared));
        }
        long grown = Math.min(2L * size, maxBytes);
        if (declared >= 0) {
          grown = Math.min(grown, declared + 1); // one byte past the declared length shows a longer body
        }
        out = Arrays.copyOf(out, (int) grown);
      }
      int n = in.read(out, size, out.length - size);
      if (n < 0) {
        break;
      }
      size += n;
      if (declared >= 0 && size > declared) {
        throw new IOException("reply body is longer than its declared " + declared + " bytes");
      }
    }
    if (declared >= 0 && size < declared) {
      throw new EOFException("reply body ended after " + size + " of its " + declared + " declared bytes");
    }
    return size == out.length ? out : Arrays.copyOf(out, size);
  }
}
