package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The FFT the low-pass filters and the tests' spectrum analyzer use, against the DFT's definition. */
class FftTest {
  @ParameterizedTest
  @ValueSource(ints = {2, 4, 8, 64, 512})
  void equalsTheDftByDefinition(int n) {
    Random random = new Random(n);
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = random.nextGaussian();
      im[i] = random.nextGaussian();
    }
    double[] wantRe = new double[n];
    double[] wantIm = new double[n];
    for (int k = 0; k < n; k++) {
      for (int t = 0; t < n; t++) { // X[k] = sum x[t] e^{-2 pi i k t / n}
        double angle = -2 * Math.PI * ((long) k * t % n) / n;
        wantRe[k] += re[t] * Math.cos(angle) - im[t] * Math.sin(angle);
        wantIm[k] += re[t] * Math.sin(angle) + im[t] * Math.cos(angle);
      }
    }
    new Fft(n).transform(re, im);
    for (int k = 0; k < n; k++) {
      assertEquals(wantRe[k], re[k], 1e-9 * n, "re[" + k + "] of " + n);
      assertEquals(wantIm[k], im[k], 1e-9 * n, "im[" + k + "] of " + n);
    }
  }

  @Test
  void refusesASizeThatIsNotAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new Fft(12));
  }
}
