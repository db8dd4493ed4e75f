package io.glmvoicebatch.audio;

/** Mixes interleaved multi-channel samples to mono by the mean of the channels. */
final class Downmixer {
  private Downmixer() {}

  static void mean(float[] interleaved, int frames, int channels, float[] mono) {
    switch (channels) {
      case 1:
        System.arraycopy(interleaved, 0, mono, 0, frames);
        return;
      case 2:
        for (int i = 0, p = 0; i < frames; i++, p += 2) {
          mono[i] = (interleaved[p] + interleaved[p + 1]) * 0.5f;
        }
        return;
      default:
        float scale = 1f / channels;
        for (int i = 0, p = 0; i < frames; i++) {
          float sum = 0;
          for (int c = 0; c < channels; c++, p++) {
            sum += interleaved[p];
          }
          mono[i] = sum * scale;
        }
    }
  }
}
