package io.glmvoicebatch.audio;

/**
 * Zero-phase linear FIR low-pass (Kaiser-windowed sinc) at a fixed rate, by FFT overlap-save.
 * Two consecutive blocks ride in one complex FFT (one as the real, one as the imaginary part):
 * the filter is real, so their results come back separated the same way.
 *
 * <p>Output sample n is the filtered input at n (the filter's delay is removed), and exactly as
 * many samples come out as went in.
 */
final class FftLowPass {
  private final int half; // D: taps = 2D + 1
  private final int taps;
  private final Fft fft;
  private final int n;
  private final int block; // B = N - taps + 1
  private final double[] filterRe; // scaled by 1/N for the inverse
  private final double[] filterIm;
  private final InputBlock input; // x[s - taps + 1 .. s + 2B)
  private final double[] re;
  private final double[] im;
  private final float[] out;
  private long causalIndex; // index (in the delayed, causal output) of the next block's first sample
  private long emitted;

  /**
   * @param rate the sample rate
   * @param passHz end of the pass band
   * @param stopHz start of the stop band
   * @param stopbandDb stop-band attenuation
   */
  FftLowPass(int rate, double passHz, double stopHz, double stopbandDb) {
    int length = KaiserWindow.length(stopbandDb, rate, passHz, stopHz);
    this.half = (length + 1) / 2;
    this.taps = 2 * half + 1;
    // Small transforms stay in L1 cache; measured faster than 4096 points despite more overlap.
    this.n = Integer.highestOneBit(Math.max(512, 2 * taps) - 1) << 1;
    this.block = n - taps + 1;
    this.fft = new Fft(n);
    double fc = (passHz + stopHz) / 2 / rate;
    double beta = KaiserWindow.betaForAttenuation(stopbandDb);
    double[] h = new double[taps];
    double sum = 0;
    for (int k = 0; k < taps; k++) {
      double t = k - half;
      h[k] = KaiserWindow.idealLowPass(fc, t) * KaiserWindow.value(beta, t / (half + 1.0));
      sum += h[k];
    }
    re = new double[n];
    im = new double[n];
    for (int k = 0; k < taps; k++) {
      re[k] = h[k] / sum / n; // unit gain at DC; 1/N for the inverse transform
    }
    fft.transform(re, im);
    filterRe = re.clone();
    filterIm = im.clone();
    input = new InputBlock(taps - 1 + 2 * block, taps - 1);
    out = new float[2 * block];
  }

  int taps() {
    return taps;
  }

  void process(float[] x, int off, int count, FloatSink sink) {
    input.append(x, off, count, () -> runBlocks(sink, Long.MAX_VALUE));
  }

  void finish(FloatSink sink) {
    while (emitted < input.total()) {
      input.padWithSilence();
      runBlocks(sink, input.total());
    }
  }

  private void runBlocks(FloatSink sink, long total) {
    int h = taps - 1;
    float[] x = input.samples;
    for (int i = 0; i < n; i++) {
      re[i] = x[i];
      im[i] = x[block + i];
    }
    fft.transform(re, im);
    for (int k = 0; k < n; k++) {
      double zr = re[k];
      double zi = im[k];
      // Multiply by the filter and conjugate, so that a forward FFT performs the inverse.
      re[k] = zr * filterRe[k] - zi * filterIm[k];
      im[k] = -(zr * filterIm[k] + zi * filterRe[k]);
    }
    fft.transform(re, im);
    // Valid outputs sit at h .. N-1: the real part is block A, the (negated) imaginary part B.
    for (int u = 0; u < block; u++) {
      out[u] = (float) re[h + u];
      out[block + u] = (float) -im[h + u];
    }
    // Causal output c corresponds to input time c - half; drop the first `half`.
    int skip = (int) Math.max(0, Math.min(2L * block, half - causalIndex));
    long wanted = total - emitted;
    int count = (int) Math.min(2L * block - skip, wanted);
    if (count > 0) {
      sink.write(out, skip, count);
      emitted += count;
    }
    causalIndex += 2L * block;
    input.keep(2 * block, h);
  }
}
