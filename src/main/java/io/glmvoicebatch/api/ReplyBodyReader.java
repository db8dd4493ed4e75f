package io.glmvoicebatch.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import okhttp3.ResponseBody;

/**
 * Reads a reply body into one array. With a declared length it copies straight into an array of that
 * size as the bytes arrive, so Okio's 8 KB segments go back to its pool as they are emptied;
 * {@link ResponseBody#bytes()} first buffers the whole body in fresh segments and then copies it, a
 * second megabyte of garbage per audio reply.
 */
final class ReplyBodyReader {
  /** Java arrays stop a few bytes short of Integer.MAX_VALUE. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private ReplyBodyReader() {}

  static byte[] read(ResponseBody body) throws IOException {
    long declared = body.contentLength();
    if (declared < 0 || declared > MAX_ARRAY) {
      return body.bytes(); // chunked or streamed: the length is known only at the end
    }
    byte[] out = new byte[(int) declared];
    InputStream in = body.byteStream();
    int got = in.readNBytes(out, 0, out.length);
    if (got < out.length) {
      throw new EOFException("reply body ended after " + got + " of its " + declared + " declared bytes");
    }
    return out;
  }
}
