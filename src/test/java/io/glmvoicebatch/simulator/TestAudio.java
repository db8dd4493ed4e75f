package io.glmvoicebatch.simulator;

import io.glmvoicebatch.testing.TestWavs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Real WAV files written byte by byte, and helpers to measure decoded audio. */
final class TestAudio {
  private TestAudio() {}

  /** A 16-bit PCM WAV of a 220 Hz tone with a little vibrato. */
  static byte[] wav(long frames, int sampleRate, int channels) {
    short[] samples = new short[Math.toIntExact(frames * channels)];
    for (int i = 0; i < frames; i++) {
      double t = (double) i / sampleRate;
      short s = (short) (8000 * Math.sin(2 * Math.PI * 220 * t + 3 * Math.sin(2 * Math.PI * 5 * t)));
      for (int c = 0; c < channels; c++) {
        samples[i * channels + c] = s;
      }
    }
    return TestWavs.pcm16(sampleRate, channels, samples);
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
