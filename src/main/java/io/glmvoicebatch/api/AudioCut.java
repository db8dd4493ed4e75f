package io.glmvoicebatch.api;

import java.nio.charset.StandardCharsets;

/**
 * The reply's audio string located in the raw body and decoded there, and the body with that string
 * emptied ({@code "data":""}), a few hundred bytes that the JSON parser then reads instead of scanning
 * a megabyte of base64 character by character. {@link ReplyParser} confirms that the emptied string is
 * where choices[0].message.audio.data is, and otherwise parses the body as it came.
 */
final class AudioCut {
  private static final byte[] DATA_KEY = "\"data\"".getBytes(StandardCharsets.US_ASCII);

  /** The body with the audio string emptied. */
  final byte[] json;
  /** Offset of the emptied string's opening quote in {@link #json}. */
  final long quote;
  /** The decoded audio. */
  final byte[] audio;

  private AudioCut(byte[] json, long quote, byte[] audio) {
    this.json = json;
    this.quote = quote;
    this.audio = audio;
  }

  /** Null when the body has no {@code "data": "<plain base64>"} to cut out. */
  static AudioCut find(byte[] body) {
    int key = indexOf(body, 0);
    while (key >= 0) {
      int i = skipSpace(body, key + DATA_KEY.length);
      if (i < body.length && body[i] == ':') {
        int quote = skipSpace(body, i + 1);
        if (quote < body.length && body[quote] == '"') {
          int end = JsonBase64.closingQuote(body, quote + 1);
          if (end < 0) {
            return null; // cut off inside the string: the parser reports the truncation
          }
          byte[] audio = JsonBase64.decodeBetween(body, quote + 1, end);
          if (audio == null) {
            return null; // escapes or not base64: the parser judges it
          }
          byte[] json = new byte[body.length - (end - quote - 1)];
          System.arraycopy(body, 0, json, 0, quote + 1);
          System.arraycopy(body, end, json, quote + 1, body.length - end);
          return new AudioCut(json, quote, audio);
        }
      }
      key = indexOf(body, key + 1);
    }
    return null;
  }

  private static int skipSpace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] b, int from) {
    outer:
    for (int i = from; i <= b.length - DATA_KEY.length; i++) {
      for (int k = 0; k < DATA_KEY.length; k++) {
        if (b[i + k] != DATA_KEY[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
