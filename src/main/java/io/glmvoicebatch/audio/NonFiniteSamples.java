package io.glmvoicebatch.audio;

import java.util.List;
import java.util.Locale;

/**
 * NaN and ±Inf in float WAVs: never sent as sound. A few (a glitch in a recorder or an editor) are set to 0,
 * which is inaudible and keeps them out of the peak and loudness the gain is computed from; a file where
 * more than {@link #MAX_SHARE} of the samples are not numbers is corrupt and refused.
 */
final class NonFiniteSamples {
  /** Above this share of non-finite samples the file is refused rather than repaired. */
  static final double MAX_SHARE = 0.01;

  private long nan;
  private long infinite;
  private long seen;

  /** Zeroes the decoder's marks of non-finite samples among x[0..count) and counts them. */
  void repair(float[] x, int count) {
    seen += count;
    for (int i = 0; i < count; i++) {
      float v = x[i];
      if (v == SampleEncoding.NAN_MARK) {
        nan++;
        x[i] = 0f;
      } else if (v == SampleEncoding.INFINITY_MARK) {
        infinite++;
        x[i] = 0f;
      }
    }
  }

  /** Adds the repair warning, or refuses the file when too much of it is not numbers. */
  void conclude(List<String> warnings) throws AudioFormatException {
    long bad = nan + infinite;
    if (bad == 0) {
      return;
    }
    String counts = String.format(Locale.ROOT, "%d of %d float samples are not numbers (%d NaN, %d ±Inf)",
        bad, seen, nan, infinite);
    if (bad > MAX_SHARE * seen) {
      throw new AudioFormatException(counts + ": the file is corrupt, not sent");
    }
    warnings.add(counts + ": set to 0 (silence) before sending");
  }
}
