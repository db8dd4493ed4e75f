package io.glmvoicebatch.simulator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A long stretch of synthetic speech rendered once per simulator; replies are seeded slices of it.
 * Rendering per request cost ~20 ms of CPU each, which starved 100+ concurrent requests on a small
 * machine; slicing costs a copy.
 */
final class SpeechBank {
  private final short[] samples;
  private final int sampleRate;
  private final long seed;

  SpeechBank(int sampleRate, double seconds, long seed) {
    this.sampleRate = sampleRate;
    this.seed = seed;
    this.samples = SyntheticSpeech.render(Math.round(seconds * sampleRate), sampleRate, new SplittableRandom(seed));
  }

  /** {@code frames} samples starting at a random offset; rendered afresh if longer than the bank. */
  short[] slice(long frames, SplittableRandom random) {
    if (frames > samples.length) {
      return SyntheticSpeech.render(frames, sampleRate, new SplittableRandom(seed ^ random.nextLong()));
    }
    int offset = random.nextInt(samples.length - (int) frames + 1);
    return Arrays.copyOfRange(samples, offset, offset + (int) frames);
  }
}
