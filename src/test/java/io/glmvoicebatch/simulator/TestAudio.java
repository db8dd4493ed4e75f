package io.glmvoicebatch.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Real WAV files written byte by byte, and helpers to measure decoded audio. */
final class TestAudio {
  private TestAudio() {}

  /** A 16-bit PCM WAV of a 220 Hz tone with a little vibrato. */
  static byte[] wav(long frames, int sampleRate, int channels) {
    int blockAlign = 2 * channels;
    int dataBytes = Math.toIntExact(frames * blockAlign);
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels);
    b.putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (long i = 0; i < frames; i++) {
      double t = (double) i / sampleRate;
      short s = (short) (8000 * Math.sin(2 * Math.PI * 220 * t + 3 * Math.sin(2 * Math.PI * 5 * t)));
      for (int c = 0; c < channels; c++) {
        b.putShort(s);
      }
    }
    return b.array();
  }

  static byte[] wavSeconds(double seconds, int sampleRate) {
    return wav(Math.round(seconds * sampleRate), sampleRate, 1);
  }

  /** RMS of s16le samples in [offset, end), as a fraction of full scale. */
  static double rms(byte[] pcm, int offset) {
    ByteBuffer b = ByteBuffer.wrap(pcm, offset, pcm.length - offset).order(ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    long n = 0;
    while (b.remaining() >= 2) {
      double v = b.getShort() / 32768.0;
      sum += v * v;
      n++;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }
}
