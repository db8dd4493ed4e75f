package io.glmvoicebatch.simulator;

import io.glmvoicebatch.api.TokenEstimate;

/** Length of one input clip as sample frames at a sample rate: exact input for token billing. */
record ClipDuration(long frames, int sampleRate) {
  double seconds() {
    return (double) frames / sampleRate;
  }

  long tokens() {
    return TokenEstimate.audioTokens(frames, sampleRate);
  }
}
