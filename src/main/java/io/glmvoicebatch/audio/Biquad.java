package io.glmvoicebatch.audio;

/** A second-order IIR section (a0 normalised to 1), run in double precision. */
final class Biquad {
  final double b0;
  final double b1;
  final double b2;
  final double a1;
  final double a2;

  Biquad(double b0, double b1, double b2, double a1, double a2) {
    this.b0 = b0;
    this.b1 = b1;
    this.b2 = b2;
    this.a1 = a1;
    this.a2 = a2;
  }
}
