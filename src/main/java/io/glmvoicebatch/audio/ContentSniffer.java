package io.glmvoicebatch.audio;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Says what a file that is not RIFF/WAVE actually is, from its first bytes. */
final class ContentSniffer {
  /** Below this size nothing could be a WAV file with any audio (44-byte minimal header). */
  private static final int MIN_WAV_SIZE = 44;

  private ContentSniffer() {}

  /** A user-facing reason why {@code head} (the first bytes of a file of {@code size}) is not WAVE. */
  static String whyNotWave(byte[] head, int headLength, long size) {
    if (size == 0) {
      return "file is empty (0 bytes)";
    }
    if (startsWith(head, headLength, "ID3")) {
      return "MP3 data in a .wav file (ID3 tag)";
    }
    if (headLength >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
      // Frame sync: ADTS (AAC) has layer bits 00, MPEG audio layers I..III have 01..11.
      if ((head[1] & 0xF6) == 0xF0) {
        return "AAC (ADTS) data in a .wav file";
      }
      return "MP3 data in a .wav file";
    }
    if (startsWith(head, headLength, "OggS")) {
      return "Ogg data in a .wav file";
    }
    if (startsWith(head, headLength, "fLaC")) {
      return "FLAC data in a .wav file";
    }
    if (startsWith(head, headLength, "FORM")) {
      return "AIFF data in a .wav file";
    }
    if (startsWith(head, headLength, ".snd")) {
      return "Sun/NeXT .au data in a .wav file";
    }
    if (headLength >= 8 && new String(head, 4, 4, StandardCharsets.ISO_8859_1).equals("ftyp")) {
      return "MP4/M4A data in a .wav file";
    }
    if (startsWith(head, headLength, "RIFX")) {
      return "big-endian RIFX WAVE is not supported";
    }
    if (startsWith(head, headLength, "RIFF")) {
      String form =
          headLength >= 12 ? new String(head, 8, 4, StandardCharsets.ISO_8859_1) : "";
      return form.isEmpty()
          ? "file is " + size + " bytes: truncated RIFF header"
          : "RIFF file of type '" + printable(form) + "', not WAVE";
    }
    String text = textKind(head, headLength);
    if (text != null) {
      return text + ", not audio";
    }
    if (size < MIN_WAV_SIZE) {
      return "file is " + size + " bytes: not a RIFF/WAVE file";
    }
    return "not a RIFF/WAVE file (starts with " + hex(head, Math.min(headLength, 4)) + ")";
  }

  private static String textKind(byte[] head, int n) {
    if (n == 0) {
      return null;
    }
    int printable = 0;
    for (int i = 0; i < n; i++) {
      int c = head[i] & 0xFF;
      if (c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7F) || c >= 0x80) {
        printable++;
      } else {
        return null;
      }
    }
    String s = new String(head, 0, n, StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("<!doctype html") || s.startsWith("<html") || s.contains("<head")
        || s.contains("<body")) {
      return "HTML text";
    }
    if (s.startsWith("<?xml")) {
      return "XML text";
    }
    if (s.startsWith("{") || s.startsWith("[")) {
      return "JSON text";
    }
    return printable == n ? "text" : null;
  }

  private static boolean startsWith(byte[] head, int n, String magic) {
    if (n < magic.length()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (head[i] != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }

  private static String hex(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xFF));
    }
    return s.toString();
  }
}
