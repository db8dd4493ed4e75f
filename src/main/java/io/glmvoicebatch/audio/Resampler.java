package io.glmvoicebatch.audio;

/** A streaming sample-rate converter; one instance per signal. */
interface Resampler {
  /**
   * The fastest converter for the pair of rates: FFT decimation when the output rate divides the
   * input rate (48, 96, 192, 32 kHz → 16 kHz), direct polyphase filtering otherwise. Both use the
   * same Kaiser-windowed sinc filter and give the same output to float precision.
   */
  static Resampler create(int inRate, int outRate) {
    if (outRate < inRate && inRate % outRate == 0) {
      return new FftDecimator(inRate, outRate);
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
