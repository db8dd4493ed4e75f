package io.glmvoicebatch.simulator;

/** Length of one input clip as sample frames at a sample rate: exact input for token billing. */
record ClipDuration(long frames, int sampleRate) {
  double seconds() {
    return (double) frames / sampleRate;
  }

  long tokens() {
    return ServiceTokens.audio(frames, sampleRate);
  }
}
