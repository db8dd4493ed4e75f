package io.glmvoicebatch.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes WAVE files byte by byte for tests, including the odd and broken variants real files come
 * in: every encoding, extensible headers, extra chunks, lying sizes, RF64/BW64, truncation.
 */
final class WavBuilder {
  enum Encoding {
    U8(1, 1, 8), S16(1, 2, 16), S24(1, 3, 24), S32(1, 4, 32), F32(3, 4, 32), F64(3, 8, 64),
    MULAW(7, 1, 8), ALAW(6, 1, 8);

    final int tag;
    final int bytes;
    final int bits;

    Encoding(int tag, int bytes, int bits) {
      this.tag = tag;
      this.bytes = bytes;
      this.bits = bits;
    }
  }

  private String container = "RIFF";
  private Encoding encoding = Encoding.S16;
  private int formatTag = -1;
  private int sampleRate = 16000;
  private int fmtSize = 16;
  private boolean extensible;
  private int validBits = -1;
  private Integer channelsOverride;
  private Long rateOverride;
  private Long dataSizeOverride;
  private float[][] channels = {new float[0]};
  private byte[] rawData;
  private final List<byte[]> chunksBeforeFmt = new ArrayList<>();
  private final List<byte[]> chunksBeforeData = new ArrayList<>();
  private final List<byte[]> chunksAfterData = new ArrayList<>();
  private boolean dataBeforeFmt;
  private int truncateBy;

  static WavBuilder of(Encoding e, int rate, float[]... channels) {
    WavBuilder b = new WavBuilder();
    b.encoding = e;
    b.sampleRate = rate;
    b.channels = channels;
    return b;
  }

  WavBuilder container(String c) {
    container = c;
    return this;
  }

  WavBuilder formatTag(int tag) {
    formatTag = tag;
    return this;
  }

  WavBuilder fmtSize(int size) {
    fmtSize = size;
    return this;
  }

  WavBuilder extensible(int validBits) {
    extensible = true;
    fmtSize = 40;
    this.validBits = validBits;
    return this;
  }

  WavBuilder channelsField(int n) {
    channelsOverride = n;
    return this;
  }

  WavBuilder rateField(long r) {
    rateOverride = r;
    return this;
  }

  WavBuilder dataSizeField(long size) {
    dataSizeOverride = size;
    return this;
  }

  WavBuilder rawData(byte[] data) {
    rawData = data;
    return this;
  }

  WavBuilder chunkBeforeFmt(String id, byte[] body) {
    chunksBeforeFmt.add(chunk(id, body, true));
    return this;
  }

  WavBuilder chunkBeforeData(String id, byte[] body) {
    chunksBeforeData.add(chunk(id, body, true));
    return this;
  }

  WavBuilder unpaddedChunkBeforeData(String id, byte[] body) {
    chunksBeforeData.add(chunk(id, body, false));
    return this;
  }

  WavBuilder chunkAfterData(String id, byte[] body) {
    chunksAfterData.add(chunk(id, body, true));
    return this;
  }

  WavBuilder dataBeforeFmt() {
    dataBeforeFmt = true;
    return this;
  }

  WavBuilder truncateBy(int bytes) {
    truncateBy = bytes;
    return this;
  }

  byte[] build() {
    int nch = channels.length;
    byte[] data = rawData != null ? rawData : encode();
    ByteArrayOutputStream fmtBody = new ByteArrayOutputStream();
    int tag = formatTag >= 0 ? formatTag : extensible ? 0xFFFE : encoding.tag;
    le16(fmtBody, tag);
    le16(fmtBody, channelsOverride != null ? channelsOverride : nch);
    le32(fmtBody, rateOverride != null ? rateOverride : sampleRate);
    le32(fmtBody, (long) sampleRate * nch * encoding.bytes);
    le16(fmtBody, nch * encoding.bytes);
    le16(fmtBody, encoding.bits);
    if (fmtSize >= 18) {
      le16(fmtBody, fmtSize - 18);
    }
    if (extensible) {
      le16(fmtBody, validBits > 0 ? validBits : encoding.bits);
      le32(fmtBody, nch == 1 ? 0x4 : nch == 2 ? 0x3 : (1 << nch) - 1);
      le16(fmtBody, encoding.tag);
      fmtBody.writeBytes(
          new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
    } else {
      while (fmtBody.size() < fmtSize) {
        fmtBody.write(0);
      }
    }
    byte[] fmtBytes = fmtBody.toByteArray();
    if (fmtBytes.length > fmtSize) {
      fmtBytes = java.util.Arrays.copyOf(fmtBytes, fmtSize);
    }
    boolean big = !container.equals("RIFF");
    long dataSizeField =
        dataSizeOverride != null ? dataSizeOverride : big ? 0xFFFFFFFFL : data.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(container.getBytes(StandardCharsets.ISO_8859_1));
    le32(out, 0); // patched below
    out.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
    if (big) {
      ByteArrayOutputStream ds64 = new ByteArrayOutputStream();
      le64(ds64, 0); // riff size, patched below
      le64(ds64, data.length);
      le64(ds64, data.length / Math.max(1, nch * encoding.bytes));
      le32(ds64, 0);
      out.writeBytes(chunk("ds64", ds64.toByteArray(), true));
    }
    chunksBeforeFmt.forEach(out::writeBytes);
    byte[] fmt = chunk("fmt ", fmtBytes, true);
    byte[] dataChunk = chunk("data", data, dataSizeField, true);
    if (dataBeforeFmt) {
      out.writeBytes(dataChunk);
      out.writeBytes(fmt);
      chunksBeforeData.forEach(out::writeBytes);
    } else {
      out.writeBytes(fmt);
      chunksBeforeData.forEach(out::writeBytes);
      out.writeBytes(dataChunk);
    }
    chunksAfterData.forEach(out::writeBytes);
    byte[] bytes = out.toByteArray();
    long riffSize = bytes.length - 8L;
    if (big) {
      put32(bytes, 4, 0xFFFFFFFFL);
      put32(bytes, 20, riffSize);
      put32(bytes, 24, riffSize >>> 32);
    } else {
      put32(bytes, 4, riffSize);
    }
    if (truncateBy > 0) {
      byte[] cut = new byte[bytes.length - truncateBy];
      System.arraycopy(bytes, 0, cut, 0, cut.length);
      return cut;
    }
    return bytes;
  }

  private byte[] encode() {
    int nch = channels.length;
    int frames = channels[0].length;
    ByteArrayOutputStream out = new ByteArrayOutputStream(frames * nch * encoding.bytes);
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < nch; c++) {
        writeSample(out, channels[c][i]);
      }
    }
    return out.toByteArray();
  }

  private void writeSample(ByteArrayOutputStream out, float v) {
    double x = Math.max(-1, Math.min(1, v));
    switch (encoding) {
      case U8:
        out.write((int) Math.max(0, Math.min(255, Math.round(x * 128) + 128)));
        break;
      case S16:
        le16(out, (int) Math.max(-32768, Math.min(32767, Math.round(x * 32768))));
        break;
      case S24:
        int v24 = (int) Math.max(-8388608, Math.min(8388607, Math.round(x * 8388608)));
        out.write(v24);
        out.write(v24 >> 8);
        out.write(v24 >> 16);
        break;
      case S32:
        int bits = validBits > 0 ? validBits : 32;
        long full = Math.max(-(1L << (bits - 1)), Math.min((1L << (bits - 1)) - 1, Math.round(x * (1L << (bits - 1)))));
        le32(out, full << (32 - bits)); // left-justified, as the spec requires
        break;
      case F32:
        le32(out, Float.floatToIntBits(v) & 0xFFFFFFFFL);
        break;
      case F64:
        le64(out, Double.doubleToLongBits(v));
        break;
      case MULAW:
        out.write(G711.linearToMulaw((int) Math.round(x * 32767)));
        break;
      case ALAW:
        out.write(G711.linearToAlaw((int) Math.round(x * 32767)));
        break;
      default:
        throw new IllegalStateException();
    }
  }

  static byte[] chunk(String id, byte[] body, boolean pad) {
    return chunk(id, body, body.length, pad);
  }

  /** A chunk whose size field says {@code sizeField} (a lie, for some tests), padded to even length if {@code pad}. */
  private static byte[] chunk(String id, byte[] body, long sizeField, boolean pad) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
    le32(out, sizeField);
    out.writeBytes(body);
    if (pad && (body.length & 1) == 1) {
      out.write(0);
    }
    return out.toByteArray();
  }

  static void le16(ByteArrayOutputStream o, int v) {
    o.write(v);
    o.write(v >> 8);
  }

  static void le32(ByteArrayOutputStream o, long v) {
    littleEndian(o, v, 4);
  }

  static void le64(ByteArrayOutputStream o, long v) {
    littleEndian(o, v, 8);
  }

  private static void littleEndian(ByteArrayOutputStream o, long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      o.write((int) (v >> (8 * i)));
    }
  }

  static void put32(byte[] b, int p, long v) {
    for (int i = 0; i < 4; i++) {
      b[p + i] = (byte) (v >> (8 * i));
    }
  }
}
