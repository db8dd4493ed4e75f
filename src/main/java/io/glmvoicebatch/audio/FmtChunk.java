package io.glmvoicebatch.audio;

import java.util.List;

/**
 * The parsed and validated "fmt " chunk (16, 18 or 40 bytes, WAVE_FORMAT_EXTENSIBLE included).
 * Construction fails with a precise message for anything we cannot decode.
 */
final class FmtChunk {
  static final int MAX_CHANNELS = 256;
  static final int MIN_RATE = 1000;
  static final int MAX_RATE = 768000;

  /** KSDATAFORMAT_SUBTYPE_* GUIDs are the format tag followed by this fixed suffix. */
  private static final byte[] GUID_SUFFIX = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
    (byte) 0x9B, 0x71
  };

  private final int channels;
  private final int sampleRate;
  private final int validBits;
  private final SampleEncoding encoding;

  private FmtChunk(int channels, int sampleRate, int validBits, SampleEncoding encoding) {
    this.channels = channels;
    this.sampleRate = sampleRate;
    this.validBits = validBits;
    this.encoding = encoding;
  }

  /**
   * Parses the chunk body.
   *
   * @param body the first bytes of the chunk body (at most what the chunk and the file hold)
   * @param warnings receives notes on tolerated inconsistencies
   */
  static FmtChunk parse(byte[] body, int length, List<String> warnings) throws AudioFormatException {
    if (length < 16) {
      throw new AudioFormatException("fmt chunk is " + length + " bytes (need at least 16)");
    }
    int tag = u16(body, 0);
    int channels = u16(body, 2);
    long rate = u32(body, 4);
    int blockAlign = u16(body, 12);
    int bits = u16(body, 14);
    int formatTag = tag;
    int validBits = bits;
    if (tag == WaveFormatTags.EXTENSIBLE) {
      if (length < 40) {
        throw new AudioFormatException(
            "WAVE_FORMAT_EXTENSIBLE fmt chunk is " + length + " bytes (need 40)");
      }
      int declaredValid = u16(body, 18);
      validBits = declaredValid == 0 ? bits : declaredValid;
      for (int i = 0; i < GUID_SUFFIX.length; i++) {
        if (body[26 + i] != GUID_SUFFIX[i]) {
          throw new AudioFormatException(
              "WAVE_FORMAT_EXTENSIBLE sub-format " + guid(body, 24) + " is not supported");
        }
      }
      formatTag = u16(body, 24);
    }
    if (channels == 0) {
      throw new AudioFormatException("fmt chunk declares 0 channels");
    }
    if (channels > MAX_CHANNELS) {
      throw new AudioFormatException(
          "fmt chunk declares " + channels + " channels (at most " + MAX_CHANNELS + " supported)");
    }
    if (rate == 0) {
      throw new AudioFormatException("fmt chunk declares sample rate 0");
    }
    if (rate < MIN_RATE || rate > MAX_RATE) {
      throw new AudioFormatException(
          "sample rate " + rate + " Hz is out of range (" + MIN_RATE + ".." + MAX_RATE + ")");
    }
    SampleEncoding encoding = encodingFor(formatTag, bits);
    if (encoding == SampleEncoding.PCM_S24LE && blockAlign == channels * 4) {
      // 17..24-bit samples in 4-byte slots with a plain PCM tag: read the slot, as extensible does.
      warnings.add(bits + "-bit PCM in 32-bit containers: read as left-justified 32-bit");
      encoding = SampleEncoding.PCM_S32LE;
    }
    if (validBits > bits) {
      warnings.add("fmt declares " + validBits + " valid bits in " + bits + "-bit samples");
      validBits = bits;
    }
    int expectedAlign = channels * encoding.bytesPerSample();
    if (blockAlign != expectedAlign) {
      // Many writers get block align wrong; the sample layout follows from channels and bits.
      warnings.add(
          "fmt block align is "
              + blockAlign
              + " but "
              + channels
              + " channels of "
              + bits
              + "-bit samples need "
              + expectedAlign
              + ": using "
              + expectedAlign);
    }
    return new FmtChunk(channels, (int) rate, validBits, encoding);
  }

  private static SampleEncoding encodingFor(int tag, int bits) throws AudioFormatException {
    switch (tag) {
      case WaveFormatTags.PCM:
        if (bits == 0 || bits > 32) {
          throw new AudioFormatException("PCM with " + bits + " bits per sample is not supported");
        }
        // Samples are stored in whole bytes, left-justified: 12-bit is read as 16, 20 as 24.
        switch ((bits + 7) / 8) {
          case 1:
            return SampleEncoding.PCM_U8;
          case 2:
            return SampleEncoding.PCM_S16LE;
          case 3:
            return SampleEncoding.PCM_S24LE;
          default:
            return SampleEncoding.PCM_S32LE;
        }
      case WaveFormatTags.IEEE_FLOAT:
        if (bits == 32) {
          return SampleEncoding.PCM_F32LE;
        }
        if (bits == 64) {
          return SampleEncoding.PCM_F64LE;
        }
        throw new AudioFormatException(
            "IEEE float with " + bits + " bits per sample is not supported");
      case WaveFormatTags.MULAW:
      case WaveFormatTags.ALAW:
        String name = tag == WaveFormatTags.MULAW ? "mu-law" : "A-law";
        if (bits != 8) {
          throw new AudioFormatException(name + " with " + bits + " bits per sample is not supported");
        }
        return tag == WaveFormatTags.MULAW ? SampleEncoding.MULAW : SampleEncoding.ALAW;
      case WaveFormatTags.MPEG_LAYER3:
      case WaveFormatTags.MPEG:
        throw new AudioFormatException(
            "MP3 data in a .wav file (" + String.format("format 0x%04X", tag) + ")");
      default:
        throw new AudioFormatException(WaveFormatTags.describe(tag) + " is not supported");
    }
  }

  int channels() {
    return channels;
  }

  int sampleRate() {
    return sampleRate;
  }

  int validBits() {
    return validBits;
  }

  SampleEncoding encoding() {
    return encoding;
  }

  int blockAlign() {
    return channels * encoding.bytesPerSample();
  }

  static int u16(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
  }

  static long u32(byte[] b, int p) {
    return (b[p] & 0xFFL)
        | ((b[p + 1] & 0xFFL) << 8)
        | ((b[p + 2] & 0xFFL) << 16)
        | ((b[p + 3] & 0xFFL) << 24);
  }

  private static String guid(byte[] b, int p) {
    return String.format(
        "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
        u32(b, p), u16(b, p + 4), u16(b, p + 6), b[p + 8], b[p + 9], b[p + 10], b[p + 11],
        b[p + 12], b[p + 13], b[p + 14], b[p + 15]);
  }
}
