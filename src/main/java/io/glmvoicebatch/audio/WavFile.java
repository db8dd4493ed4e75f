package io.glmvoicebatch.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** STUB: a minimal PCM16-only stand-in with the real class's signatures; replaced at merge. */
public final class WavFile {
  private WavFile() {}

  public static DecodedAudio decode(byte[] wav) throws AudioFormatException {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new AudioFormatException("not a RIFF/WAVE file");
    }
    int pos = 12;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    while (pos + 8 <= wav.length) {
      int id = b.getInt(pos);
      int size = b.getInt(pos + 4);
      int body = pos + 8;
      if (id == 0x20746d66) { // "fmt "
        if (size < 16 || body + 16 > wav.length) {
          throw new AudioFormatException("fmt chunk too short");
        }
        channels = b.getShort(body + 2);
        rate = b.getInt(body + 4);
        bits = b.getShort(body + 14);
      } else if (id == 0x61746164) { // "data"
        if (channels <= 0 || rate <= 0 || bits != 16) {
          throw new AudioFormatException("stub decodes PCM16 only");
        }
        int len = Math.min(size < 0 ? Integer.MAX_VALUE : size, wav.length - body);
        int frames = len / (2 * channels);
        float[][] data = new float[channels][frames];
        for (int f = 0; f < frames; f++) {
          for (int c = 0; c < channels; c++) {
            data[c][f] = b.getShort(body + 2 * (f * channels + c)) / 32768f;
          }
        }
        return new DecodedAudio(rate, data);
      }
      pos = body + size + (size & 1);
    }
    throw new AudioFormatException("no data chunk");
  }

  public static byte[] pcm16Mono(short[] samples, int rate) {
    ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      b.putShort(s);
    }
    return pcm16(b.array(), rate, 1);
  }

  public static byte[] pcm16(byte[] interleavedS16le, int rate, int channels) {
    int len = interleavedS16le.length;
    ByteBuffer b = ByteBuffer.allocate(44 + len).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + len).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    b.putInt(0x61746164).putInt(len).put(interleavedS16le);
    return b.array();
  }
}
