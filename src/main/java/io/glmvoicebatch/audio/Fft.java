package io.glmvoicebatch.audio;

/** In-place iterative radix-2 complex FFT of one fixed power-of-two size, tables precomputed. */
final class Fft {
  private final int size;
  private final int[] bitReverse;
  private final double[] cos;
  private final double[] sin;

  Fft(int size) {
    if (size < 2 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two, was " + size);
    }
    this.size = size;
    int bits = Integer.numberOfTrailingZeros(size);
    bitReverse = new int[size];
    for (int i = 0; i < size; i++) {
      bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
    }
    cos = new double[size / 2];
    sin = new double[size / 2];
    for (int i = 0; i < size / 2; i++) {
      cos[i] = Math.cos(2 * Math.PI * i / size);
      sin[i] = -Math.sin(2 * Math.PI * i / size);
    }
  }

  int size() {
    return size;
  }

  /** Forward transform (e^{-i...}), unscaled. */
  void transform(double[] re, double[] im) {
    int n = size;
    for (int i = 0; i < n; i++) {
      int j = bitReverse[i];
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int i = 0; i < n; i += 2) { // first stage: twiddle 1
      double ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
      re[i] = ar + br;
      im[i] = ai + bi;
      re[i + 1] = ar - br;
      im[i + 1] = ai - bi;
    }
    for (int half = 2; half < n; half <<= 1) {
      int step = n / (2 * half);
      for (int k = 0; k < half; k++) {
        double wr = cos[k * step];
        double wi = sin[k * step];
        for (int a = k; a < n; a += 2 * half) {
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
