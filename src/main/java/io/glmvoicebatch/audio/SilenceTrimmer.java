package io.glmvoicebatch.audio;

/**
 * Finds where speech starts and ends: the first and last 20 ms frame whose RMS level reaches the
 * threshold, widened by the padding (so soft onsets and decays survive). Fewer than 100 ms of
 * frames above the threshold in the whole signal count as silence: a click is not speech.
 */
final class SilenceTrimmer {
  static final double FRAME_SECONDS = 0.020;
  static final double MIN_SPEECH_SECONDS = 0.100;

  private SilenceTrimmer() {}

  /**
   * Returns {start, end} sample indices of the part to keep in x[0..length), or null when the
   * whole signal is silence.
   */
  static int[] speechRange(
      float[] x, int length, int sampleRate, double thresholdDbfs, double paddingSeconds) {
    int frame = Math.max(1, (int) Math.round(FRAME_SECONDS * sampleRate));
    double threshold = Math.pow(10, thresholdDbfs / 10) * frame; // on the sum of squares
    int first = -1;
    int last = -1;
    long loudSamples = 0;
    for (int start = 0; start < length; start += frame) {
      int end = Math.min(length, start + frame);
      double sum = 0;
      for (int i = start; i < end; i++) {
        sum += (double) x[i] * x[i];
      }
      // A short last frame is judged on its own mean, not diluted by missing samples.
      if (sum * frame / (end - start) >= threshold) {
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
}
