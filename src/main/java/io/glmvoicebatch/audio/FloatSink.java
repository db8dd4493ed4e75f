package io.glmvoicebatch.audio;

/** Receives blocks of samples from a streaming stage. */
interface FloatSink {
  void write(float[] samples, int off, int length);
}
