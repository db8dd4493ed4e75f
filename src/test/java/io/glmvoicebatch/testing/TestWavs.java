package io.glmvoicebatch.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The canonical WAV file (44-byte header, 16-bit PCM) written by hand for tests, so a test's input does
 * not depend on the code under test. Odd and broken variants: audio's WavBuilder.
 */
public final class TestWavs {
  public static final int HEADER_BYTES = 44;

  private TestWavs() {}

  /** A WAV of 16-bit samples, {@code channels} interleaved. */
  public static byte[] pcm16(int sampleRate, int channels, short[] interleaved) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + 2 * interleaved.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header(sampleRate, channels, 2L * interleaved.length));
    for (short s : interleaved) {
      b.putShort(s);
    }
    return b.array();
  }

  /** A mono WAV of {@code samples} (full scale is 1.0; clipped), 16-bit. */
  public static byte[] pcm16(int sampleRate, float[] samples) {
    short[] pcm = new short[samples.length];
    for (int i = 0; i < samples.length; i++) {
      pcm[i] = (short) Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767);
    }
    return pcm16(sampleRate, 1, pcm);
  }

  /** {@code seconds} of {@link SpeechLikeGenerator} speech, 16-bit mono, written to {@code file}. */
  public static Path speechLike(Path file, int sampleRate, double seconds, long seed) throws IOException {
    return Files.write(file, pcm16(sampleRate, SpeechLikeGenerator.samples(sampleRate, seconds, seed)));
  }

  /** The 44-byte header of a 16-bit PCM WAV whose data chunk holds {@code dataBytes}. */
  public static byte[] header(int sampleRate, int channels, long dataBytes) {
    int blockAlign = 2 * channels;
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(Math.toIntExact(36 + dataBytes));
    b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels);
    b.putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(Math.toIntExact(dataBytes));
    return b.array();
  }
}
