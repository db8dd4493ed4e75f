package io.glmvoicebatch.audio;

import java.util.ArrayList;
import java.util.List;

/** Reads and writes whole WAV files in memory. */
public final class WavFile {
  static final int HEADER_BYTES = 44;
  private static final int BLOCK_FRAMES = 8192;

  private WavFile() {}

  /** Decodes any supported WAVE file to per-channel float samples in -1..1. */
  public static DecodedAudio decode(byte[] bytes) throws AudioFormatException {
    ArrayByteSource source = new ArrayByteSource(bytes);
    WaveLayout layout = RiffReader.read(source);
    long frames = layout.frames();
    int channels = layout.fmt().channels();
    if (frames > Integer.MAX_VALUE - 8) {
      throw new AudioFormatException("audio is too long to decode in memory: " + frames + " frames");
    }
    float[][] data = new float[channels][(int) frames];
    FrameReader reader = new FrameReader(source, layout, BLOCK_FRAMES);
    float[] block = new float[BLOCK_FRAMES * channels];
    int at = 0;
    int n;
    while ((n = reader.read(block)) > 0) {
      for (int c = 0; c < channels; c++) {
        float[] dst = data[c];
        for (int i = 0, p = c; i < n; i++, p += channels) {
          dst[at + i] = block[p];
        }
      }
      at += n;
    }
    List<String> warnings = new ArrayList<>(layout.warnings());
    return new DecodedAudio(data, layout.inputFormat(), warnings);
  }

  /**
   * Joins WAV files end to end into one mono 16-bit WAV (channels averaged). Scaled by 32768 like the
   * decoder, so 16-bit mono input comes back sample for sample. All inputs must share one sample rate.
   */
  public static byte[] concatenateMono(List<byte[]> wavs) throws AudioFormatException {
    List<float[]> parts = new ArrayList<>();
    int rate = -1;
    long frames = 0;
    for (int i = 0; i < wavs.size(); i++) {
      DecodedAudio d = decode(wavs.get(i));
      if (rate < 0) {
        rate = d.sampleRate();
      } else if (d.sampleRate() != rate) {
        throw new AudioFormatException("part " + i + " is " + d.sampleRate() + " Hz, the first is " + rate + " Hz");
      }
      float[][] channels = d.channelsData();
      float[] mono = channels.length == 1 ? channels[0] : new float[channels[0].length];
      if (channels.length > 1) {
        for (float[] channel : channels) {
          for (int f = 0; f < mono.length; f++) {
            mono[f] += channel[f] / channels.length;
          }
        }
      }
      parts.add(mono);
      frames += mono.length;
    }
    if (rate < 0) {
      throw new AudioFormatException("nothing to join");
    }
    byte[] out = header(frames * 2, rate, 1);
    int at = HEADER_BYTES;
    for (float[] mono : parts) {
      Pcm16Encoder.encode(mono, 0, mono.length, 1f, out, at);
      at += mono.length * 2;
    }
    return out;
  }

  /** A mono 16-bit PCM WAV file: RIFF, 16-byte fmt chunk, data; 44-byte header. */
  public static byte[] pcm16Mono(short[] samples, int sampleRate) {
    byte[] out = header(samples.length * 2L, sampleRate, 1);
    for (int i = 0, p = HEADER_BYTES; i < samples.length; i++, p += 2) {
      out[p] = (byte) samples[i];
      out[p + 1] = (byte) (samples[i] >> 8);
    }
    return out;
  }

  /** Wraps interleaved little-endian 16-bit PCM in a 44-byte WAV header. */
  public static byte[] pcm16(byte[] interleavedS16le, int sampleRate, int channels) {
    if (channels <= 0 || channels > 65535) {
      throw new IllegalArgumentException("channels must be 1..65535, was " + channels);
    }
    if (interleavedS16le.length % (2 * channels) != 0) {
      throw new IllegalArgumentException(
          interleavedS16le.length + " bytes is not a whole number of " + channels + "-channel frames");
    }
    byte[] out = header(interleavedS16le.length, sampleRate, channels);
    System.arraycopy(interleavedS16le, 0, out, HEADER_BYTES, interleavedS16le.length);
    return out;
  }

  /** A 44-byte header followed by room for {@code dataBytes} of audio. */
  static byte[] header(long dataBytes, int sampleRate, int channels) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive, was " + sampleRate);
    }
    if (dataBytes + HEADER_BYTES - 8 > 0xFFFFFFFFL || dataBytes + HEADER_BYTES > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too much audio for one WAV file: " + dataBytes + " bytes");
    }
    byte[] out = new byte[(int) (HEADER_BYTES + dataBytes)];
    ascii(out, 0, "RIFF");
    le32(out, 4, HEADER_BYTES - 8 + dataBytes);
    ascii(out, 8, "WAVE");
    ascii(out, 12, "fmt ");
    le32(out, 16, 16);
    le16(out, 20, WaveFormatTags.PCM);
    le16(out, 22, channels);
    le32(out, 24, sampleRate);
    le32(out, 28, (long) sampleRate * channels * 2);
    le16(out, 32, channels * 2);
    le16(out, 34, 16);
    ascii(out, 36, "data");
    le32(out, 40, dataBytes);
    return out;
  }

  private static void ascii(byte[] b, int p, String s) {
    for (int i = 0; i < 4; i++) {
      b[p + i] = (byte) s.charAt(i);
    }
  }

  private static void le16(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >> 8);
  }

  private static void le32(byte[] b, int p, long v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >> 8);
    b[p + 2] = (byte) (v >> 16);
    b[p + 3] = (byte) (v >> 24);
  }
}
