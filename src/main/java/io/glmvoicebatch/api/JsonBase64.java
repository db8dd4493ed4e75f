package io.glmvoicebatch.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * The fast path for the reply audio: decodes a JSON string of plain base64 straight from the raw UTF-8
 * body, without building a String or char buffer of it first. "Plain" means the standard alphabet, no
 * escapes and no whitespace, with the padding {@link Base64#getDecoder()} accepts. Anything else returns
 * null, and the caller lets the JSON parser decode it (and name any problem) as before.
 */
final class JsonBase64 {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';

  private JsonBase64() {}

  /**
   * Decodes the JSON string whose opening quote is at {@code body[quote]}; null if there is none there,
   * it does not end within the body, it holds an escape, or it is not strict base64.
   */
  static byte[] decodeString(byte[] body, long quote) {
    if (quote < 0 || quote >= body.length || body[(int) quote] != '"') {
      return null;
    }
    int from = (int) quote + 1;
    int end = closingQuote(body, from);
    if (end < 0) {
      return null;
    }
    try {
      ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(body, from, end - from));
      byte[] out = decoded.array();
      return decoded.arrayOffset() == 0 && decoded.remaining() == out.length ? out
          : java.util.Arrays.copyOfRange(out, decoded.arrayOffset(), decoded.arrayOffset() + decoded.remaining());
    } catch (IllegalArgumentException notStrictBase64) {
      return null;
    }
  }

  /**
   * Index of the first '"' from {@code from}, -1 if there is none. If it is an escaped quote, the text
   * before it holds a backslash, which strict base64 decoding rejects: escapes never pass as audio.
   */
  static int closingQuote(byte[] b, int from) {
    int i = from;
    // Eight bytes at a time: a lane equal to '"' is zero after the XOR, which sets its high bit below.
    for (; i + 8 <= b.length; i += 8) {
      if (hasZeroByte((long) LONGS.get(b, i) ^ QUOTES) != 0) {
        break;
      }
    }
    for (; i < b.length; i++) {
      if (b[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  private static long hasZeroByte(long v) {
    return (v - ONES) & ~v & HIGHS;
  }
}
