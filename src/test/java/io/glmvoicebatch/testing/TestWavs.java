package io.glmvoicebatch.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

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
