package io.glmvoicebatch.simulator;

import java.util.SplittableRandom;

/**
 * A long stretch of synthetic speech rendered once per simulator; replies are seeded slices of it.
 * Rendering per request cost ~20 ms of CPU each, which starved 100+ concurrent requests on a small
 * machine. Its base64 is prepared once too: encoding a megabyte per reply was then the largest cost.
 */
final class SpeechBank {
  private final short[] samples;
  private final PreencodedBase64 pcm;
  private final int sampleRate;
  private final long seed;

  SpeechBank(int sampleRate, double seconds, long seed) {
    this.sampleRate = sampleRate;
    this.seed = seed;
    this.samples = SyntheticSpeech.render(Math.round(seconds * sampleRate), sampleRate, new SplittableRandom(seed));
    // Phase 0 serves raw PCM replies, phase 1 WAV replies (a 44-byte header leaves the first PCM
    // byte in the header's last group) when slices start at a multiple of 3 samples (6 bytes).
    this.pcm = new PreencodedBase64(SyntheticSpeech.rawPcm(samples), 2);
  }

  /** {@code frames} samples starting at a random multiple of 3; rendered afresh if longer than the bank. */
  SpeechSlice slice(long frames, SplittableRandom random) {
    if (frames > samples.length) {
      short[] fresh = SyntheticSpeech.render(frames, sampleRate, new SplittableRandom(seed ^ random.nextLong()));
      // Zero phases: used once, so its base64 is encoded when asked for rather than up front.
      return new SpeechSlice(fresh, new PreencodedBase64(SyntheticSpeech.rawPcm(fresh), 0), sampleRate, 0, fresh.length);
    }
    int offset = 3 * random.nextInt((samples.length - (int) frames) / 3 + 1);
    return slice(offset, (int) frames);
  }

  /** {@code frames} samples from {@code offset}; slices at multiples of 3 skip base64 encoding. */
  SpeechSlice slice(int offset, int frames) {
    return new SpeechSlice(samples, pcm, sampleRate, offset, frames);
  }
}
