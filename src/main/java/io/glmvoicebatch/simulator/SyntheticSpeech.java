package io.glmvoicebatch.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Speech-like synthetic sound: a glottal pulse train with a wandering pitch contour, shaped by three
 * formant resonators that move from vowel to vowel, under a syllable-rate (~4 Hz) envelope with short
 * pauses between phrases. Not silence and not a pure tone, so a client's level or voice checks see
 * something plausible.
 */
final class SyntheticSpeech {
  /** F1, F2, F3 in Hz of a few vowels (a, i, u, e, o). */
  private static final double[][] VOWELS = {
    {730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480}, {570, 840, 2410},
  };
  private static final double[] BANDWIDTHS = {90, 110, 170};
  private static final double PEAK = 0.6 * Short.MAX_VALUE;

  private SyntheticSpeech() {}

  /** {@code frames} mono samples at {@code sampleRate}, normalised to 60% of full scale. */
  static short[] render(long frames, int sampleRate, SplittableRandom random) {
    int n = Math.toIntExact(frames);
    double[] out = new double[n];
    double basePitch = 100 + random.nextDouble() * 110; // a low or a higher voice
    double phase = 0;
    double nextPulse = 0;
    int i = 0;
    double[][] state = new double[3][2];
    while (i < n) {
      // One phrase: 3-7 syllables then a pause.
      int syllables = 3 + random.nextInt(5);
      for (int s = 0; s < syllables && i < n; s++) {
        int length = (int) (sampleRate * (0.17 + random.nextDouble() * 0.12)); // ~4 syllables/s
        double[] formants = VOWELS[random.nextInt(VOWELS.length)];
        double[][] coeffs = resonators(formants, sampleRate);
        boolean fricativeOnset = random.nextInt(3) == 0;
        for (int k = 0; k < length && i < n; k++, i++) {
          double t = (double) i / sampleRate;
          double position = (double) k / length;
          double envelope = Math.sin(Math.PI * position); // rise and fall within the syllable
          double pitch = basePitch * (1 + 0.12 * Math.sin(2 * Math.PI * 0.6 * t + phase) - 0.05 * position);
          double excitation = 0;
          if (k >= nextPulse) {
            excitation = 1.0; // glottal pulse
            nextPulse = k + sampleRate / pitch;
          }
          excitation += 0.02 * (random.nextDouble() - 0.5); // breath
          if (fricativeOnset && position < 0.15) {
            excitation += 0.3 * (random.nextDouble() - 0.5);
          }
          double y = excitation;
          for (int f = 0; f < 3; f++) { // cascade of formant resonators
            double[] c = coeffs[f];
            double v = c[0] * y + c[1] * state[f][0] + c[2] * state[f][1];
            state[f][1] = state[f][0];
            state[f][0] = v;
            y = v;
          }
          out[i] = y * envelope;
        }
        nextPulse = 0;
      }
      int pause = (int) (sampleRate * (0.12 + random.nextDouble() * 0.25));
      for (int k = 0; k < pause && i < n; k++, i++) {
        out[i] = 0.002 * (random.nextDouble() - 0.5); // room noise, not digital silence
      }
      phase += random.nextDouble();
    }
    double peak = 1e-12;
    for (double v : out) {
      peak = Math.max(peak, Math.abs(v));
    }
    short[] pcm = new short[n];
    for (int k = 0; k < n; k++) {
      pcm[k] = (short) Math.round(out[k] / peak * PEAK);
    }
    return pcm;
  }

  /** Two-pole resonator coefficients (a, b, c) per formant: y = a·x + b·y1 + c·y2. */
  private static double[][] resonators(double[] formants, int sampleRate) {
    double[][] coeffs = new double[3][];
    for (int f = 0; f < 3; f++) {
      double freq = Math.min(formants[f], sampleRate * 0.45);
      double r = Math.exp(-Math.PI * BANDWIDTHS[f] / sampleRate);
      double b = 2 * r * Math.cos(2 * Math.PI * freq / sampleRate);
      double c = -r * r;
      coeffs[f] = new double[] {1 - b - c, b, c};
    }
    return coeffs;
  }

  static byte[] rawPcm(short[] samples) {
    ByteBuffer buf = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      buf.putShort(s);
    }
    return buf.array();
  }

  /** A canonical 44-byte-header RIFF/WAVE file, PCM 16-bit mono. */
  static byte[] wav(short[] samples, int sampleRate) {
    ByteBuffer buf = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(wavHeader(samples.length * 2, sampleRate));
    for (short s : samples) {
      buf.putShort(s);
    }
    return buf.array();
  }

  /** The 44-byte header {@link #wav} writes before {@code dataBytes} of PCM. */
  static byte[] wavHeader(int dataBytes, int sampleRate) {
    ByteBuffer buf = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    buf.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    buf.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    buf.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    buf.putShort((short) 1).putShort((short) 1); // PCM, mono
    buf.putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
    buf.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    return buf.array();
  }
}
