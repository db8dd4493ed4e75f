package io.glmvoicebatch.audio;

/** A streaming sample-rate converter; one instance per signal. */
interface Resampler {
  /**
   * The fastest converter for the pair of rates, all with the same pass band (to 0.4375 × the
   * lower rate), stop band (from 0.5 ×) and 110 dB attenuation: FFT decimation when the output
   * rate divides the input rate (48, 96, 192, 32 kHz → 16 kHz); FFT low-pass plus a short
   * polyphase stage for other downsampling by at least 1.25 (44.1, 22.05 kHz); direct polyphase
   * filtering otherwise (upsampling, ratios close to 1).
   */
  static Resampler create(int inRate, int outRate) {
    if (outRate < inRate && inRate % outRate == 0) {
      return new FftDecimator(inRate, outRate);
    }
    if (inRate >= 1.25 * outRate) {
      return new TwoStageResampler(inRate, outRate);
    }
    return new PolyphaseResampler(inRate, outRate);
  }

  /** How many output samples {@code inputSamples} of input become. */
  long outputLength(long inputSamples);

  void process(float[] x, int off, int n, FloatSink sink);

  /** Pads with silence and emits the remaining outputs. The resampler is then spent. */
  void finish(FloatSink sink);

  /** Runs a whole signal through {@code r}. */
  static float[] resampleWhole(Resampler r, float[] x) {
    float[] out = new float[(int) r.outputLength(x.length)];
    int[] pos = {0};
    FloatSink sink =
        (b, o, len) -> {
          System.arraycopy(b, o, out, pos[0], len);
          pos[0] += len;
        };
    r.process(x, 0, x.length, sink);
    r.finish(sink);
    return out;
  }
}
