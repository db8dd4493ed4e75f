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
 *
 * <p>Public for the simulator, which screens each request's input audio the same way.
 */
public final class JsonBase64 {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';
  private static final long LOWS = ONES * 0x7F;

  /** Each alphabet byte's 6 bits pre-shifted to its place in a quad; -1 for anything else. */
  private static final int[] AT_18 = new int[256];
  private static final int[] AT_12 = new int[256];
  private static final int[] AT_6 = new int[256];
  private static final int[] AT_0 = new int[256];

  static {
    java.util.Arrays.fill(AT_18, -1);
    java.util.Arrays.fill(AT_12, -1);
    java.util.Arrays.fill(AT_6, -1);
    java.util.Arrays.fill(AT_0, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int v = 0; v < 64; v++) {
      char c = alphabet.charAt(v);
      AT_18[c] = v << 18;
      AT_12[c] = v << 12;
      AT_6[c] = v << 6;
      AT_0[c] = v;
    }
  }

  private JsonBase64() {}

  /**
   * The byte count that padded base64 in {@code b[from, end)} decodes to; the length must be a positive
   * multiple of 4 (as {@link #paddedEnd} guarantees).
   */
  public static int decodedLength(byte[] b, int from, int end) {
    return (end - from) / 4 * 3 - padding(b, end);
  }

  private static int padding(byte[] b, int end) {
    return b[end - 1] == '=' ? (b[end - 2] == '=' ? 2 : 1) : 0;
  }

  /**
   * Padded standard base64 in {@code b[from, end)}, decoded with four lookup tables (the JDK 17 decoder
   * has no x86 intrinsic without AVX-512 and was most of the client's CPU per reply); null for anything
   * it does not handle (unpadded, a stray character), which the JDK decoder then judges.
   */
  public static byte[] decodePadded(byte[] b, int from, int end) {
    int len = end - from;
    if (len == 0 || len % 4 != 0) {
      return null;
    }
    int pad = padding(b, end);
    byte[] out = new byte[len / 4 * 3 - pad];
    int last = end - 4; // the final quad, which may hold the padding
    int i = from;
    int o = 0;
    for (; i + 8 <= last; i += 8, o += 6) {
      int q0 = AT_18[b[i] & 0xff] | AT_12[b[i + 1] & 0xff] | AT_6[b[i + 2] & 0xff] | AT_0[b[i + 3] & 0xff];
      int q1 = AT_18[b[i + 4] & 0xff] | AT_12[b[i + 5] & 0xff] | AT_6[b[i + 6] & 0xff] | AT_0[b[i + 7] & 0xff];
      if ((q0 | q1) < 0) {
        return null;
      }
      out[o] = (byte) (q0 >> 16);
      out[o + 1] = (byte) (q0 >> 8);
      out[o + 2] = (byte) q0;
      out[o + 3] = (byte) (q1 >> 16);
      out[o + 4] = (byte) (q1 >> 8);
      out[o + 5] = (byte) q1;
    }
    for (; i < last; i += 4, o += 3) {
      int q = AT_18[b[i] & 0xff] | AT_12[b[i + 1] & 0xff] | AT_6[b[i + 2] & 0xff] | AT_0[b[i + 3] & 0xff];
      if (q < 0) {
        return null;
      }
      out[o] = (byte) (q >> 16);
      out[o + 1] = (byte) (q >> 8);
      out[o + 2] = (byte) q;
    }
    int q = AT_18[b[i] & 0xff] | AT_12[b[i + 1] & 0xff]
        | (pad == 2 ? 0 : AT_6[b[i + 2] & 0xff]) | (pad >= 1 ? 0 : AT_0[b[i + 3] & 0xff]);
    if (q < 0) {
      return null;
    }
    out[o] = (byte) (q >> 16);
    if (pad < 2) {
      out[o + 1] = (byte) (q >> 8);
    }
    if (pad < 1) {
      out[o + 2] = (byte) q;
    }
    return out;
  }

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
    return decodeBetween(body, from, end);
  }

  /** The base64 in {@code body[from, end)}; null if it is not strict base64. */
  public static byte[] decodeBetween(byte[] body, int from, int end) {
    byte[] fast = decodePadded(body, from, end);
    if (fast != null) {
      return fast;
    }
    try {
      // Unpadded, or not base64 at all: the JDK's strict decoder has the last word.
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

  /**
   * Index of the '"' that ends the padded standard base64 starting at {@code b[from]}, -1 if the bytes
   * there are not that: exactly the strings {@link #decodePadded} decodes, checked without decoding them
   * (eight bytes a step). Every byte before the quote is alphabet or padding, so it is the JSON string's
   * closing quote too.
   */
  public static int paddedEnd(byte[] b, int from) {
    int i = from;
    for (; i + 8 <= b.length; i += 8) {
      if (!allAlphabet((long) LONGS.get(b, i))) {
        break;
      }
    }
    while (i < b.length && AT_0[b[i] & 0xff] >= 0) {
      i++;
    }
    int run = i - from;
    int pad = 0;
    while (pad < 2 && i < b.length && b[i] == '=') {
      pad++;
      i++;
    }
    boolean quoted = i < b.length && b[i] == '"';
    return quoted && run + pad > 0 && (run + pad) % 4 == 0 ? i : -1;
  }

  /**
   * Whether all eight bytes of {@code v} are in the base64 alphabet. Lane-exact: a lane at or above 0x80
   * (the only kind whose sums carry into the next lane) fails by its own clear high bit in {@code ~v}.
   */
  private static boolean allAlphabet(long v) {
    long folded = v | ONES * 0x20; // A-Z onto a-z
    long letters = (folded + ONES * (0x80 - 'a')) & ~(folded + ONES * (0x7F - 'z'));
    long digitsOrSlash = (v + ONES * (0x80 - '/')) & ~(v + ONES * (0x7F - '9'));
    long plus = ~((v ^ ONES * '+') + LOWS); // high bit set where the lane is '+'
    return ((letters | digitsOrSlash | plus) & ~v & HIGHS) == HIGHS;
  }

  private static long hasZeroByte(long v) {
    return (v - ONES) & ~v & HIGHS;
  }
}
