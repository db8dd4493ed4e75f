package io.glmvoicebatch.simulator;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * The base64 the simulated service accepts as input audio without further ado: the standard alphabet,
 * padded to a multiple of four, no line breaks. Checked on the request body's bytes, decoded with the
 * JDK's strict decoder; deliberately not the client's own decoder, so the two cannot share a bug.
 */
final class StrictBase64 {
  private static final boolean[] ALPHABET = new boolean[256];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      ALPHABET[c] = true;
      ALPHABET[Character.toLowerCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      ALPHABET[c] = true;
    }
    ALPHABET['+'] = true;
    ALPHABET['/'] = true;
  }

  private StrictBase64() {}

  /**
   * Where the JSON string starting at {@code b[from]} (just after its opening quote) closes, if all of it
   * is padded standard base64: the index of the closing quote, else -1 (escapes, line breaks, a foreign
   * character, a length that is not a multiple of four, an empty string).
   */
  static int closingQuote(byte[] b, int from) {
    int i = from;
    while (i < b.length && ALPHABET[b[i] & 0xff]) {
      i++;
    }
    int padding = 0;
    while (padding < 2 && i < b.length && b[i] == '=') {
      padding++;
      i++;
    }
    int length = i - from;
    boolean closed = i < b.length && b[i] == '"';
    return closed && length > 0 && length % 4 == 0 ? i : -1;
  }

  /** How many bytes the padded base64 in {@code b[from, end)} decodes to. */
  static int decodedLength(byte[] b, int from, int end) {
    int padding = 0;
    for (int i = end - 1; i >= from && b[i] == '='; i--) {
      padding++;
    }
    return (end - from) / 4 * 3 - padding;
  }

  /** The bytes of the base64 in {@code b[from, end)}; IllegalArgumentException if it is not strict base64. */
  static byte[] decode(byte[] b, int from, int end) {
    ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(b, from, end - from));
    byte[] array = decoded.array();
    int start = decoded.arrayOffset() + decoded.position();
    return start == 0 && decoded.remaining() == array.length
        ? array
        : Arrays.copyOfRange(array, start, start + decoded.remaining());
  }

  /** A string of padded strict base64 decoded, or null if it is anything else (the caller then looks closer). */
  static byte[] decodeOrNull(String s) {
    if (s.isEmpty() || s.length() % 4 != 0) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException notStrict) {
      return null;
    }
  }
}
