package io.glmvoicebatch.audio;

import java.util.Arrays;

/**
 * Finds where speech starts and ends, judged against the clip itself rather than a fixed level, so a
 * lapel mic at −60 dBFS is heard as well as a headset at 0 dBFS.
 *
 * <p>A 20 ms frame is speech when its RMS level stands {@link #ABOVE_NOISE_DB} above the clip's own noise
 * floor (the level of its quietest tenth of frames) and above an absolute floor. A steady signal (hum,
 * hiss, dither) sits at its own floor everywhere, so it has no speech; digital silence has none either.
 * The first and last speech frames, widened by the padding, bound the part kept (soft onsets and decays
 * survive). Fewer than 100 ms of speech frames in the whole signal count as silence: a click is not
 * speech.
 */
final class SilenceTrimmer {
  static final double FRAME_SECONDS = 0.020;
  static final double MIN_SPEECH_SECONDS = 0.100;
  /** How far above the clip's noise floor a frame must be to count as speech. */
  static final double ABOVE_NOISE_DB = 12.0;
  /** The share of quietest frames whose level is taken as the noise floor. */
  static final double NOISE_QUANTILE = 0.10;

  private SilenceTrimmer() {}

  /**
   * Returns {start, end} sample indices of the part to keep in x[0..length), or null when the
   * whole signal is silence.
   *
   * @param floorDbfs a frame quieter than this is never speech, whatever the clip's noise floor
   */
  static int[] speechRange(float[] x, int length, int sampleRate, double floorDbfs, double paddingSeconds) {
    int frame = Math.max(1, (int) Math.round(FRAME_SECONDS * sampleRate));
    int frames = (length + frame - 1) / frame;
    double[] meanSquare = new double[frames];
    for (int f = 0; f < frames; f++) {
      int start = f * frame;
      int end = Math.min(length, start + frame);
      double sum = 0;
      for (int i = start; i < end; i++) {
        sum += (double) x[i] * x[i];
      }
      // A short last frame is judged on its own mean, not diluted by missing samples.
      meanSquare[f] = sum / (end - start);
    }
    double threshold = Math.max(Math.pow(10, floorDbfs / 10), noiseFloor(meanSquare) * Math.pow(10, ABOVE_NOISE_DB / 10));
    int first = -1;
    int last = -1;
    long loudSamples = 0;
    for (int f = 0; f < frames; f++) {
      if (meanSquare[f] >= threshold && meanSquare[f] > 0) {
        int start = f * frame;
        int end = Math.min(length, start + frame);
        if (first < 0) {
          first = start;
        }
        last = end;
        loudSamples += end - start;
      }
    }
    if (first < 0 || loudSamples < Math.min(MIN_SPEECH_SECONDS * sampleRate, length)) {
      return null;
    }
    int pad = (int) Math.round(paddingSeconds * sampleRate);
    return new int[] {Math.max(0, first - pad), (int) Math.min(length, (long) last + pad)};
  }

  /** Mean square of the frame at the noise quantile: the level the clip never goes below for long. */
  private static double noiseFloor(double[] meanSquare) {
    if (meanSquare.length == 0) {
      return 0;
    }
    double[] sorted = meanSquare.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.floor(NOISE_QUANTILE * (sorted.length - 1))];
  }
}
