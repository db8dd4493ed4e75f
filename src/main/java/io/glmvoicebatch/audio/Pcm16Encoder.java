package io.glmvoicebatch.audio;

/** Turns float samples into 16-bit little-endian PCM: scaled, rounded to nearest, clamped. */
final class Pcm16Encoder {
  private Pcm16Encoder() {}

  /** Writes round(x[i]·gain·32768), clamped to the 16-bit range, for i in [from, to). */
  static void encode(float[] x, int from, int to, float gain, byte[] out, int outOffset) {
    float scale = gain * 32768f;
    for (int i = from, p = outOffset; i < to; i++, p += 2) {
      int v = Math.round(x[i] * scale);
      if (v > 32767) {
        v = 32767;
      } else if (v < -32768) {
        v = -32768;
      }
      out[p] = (byte) v;
      out[p + 1] = (byte) (v >> 8);
    }
  }
}
