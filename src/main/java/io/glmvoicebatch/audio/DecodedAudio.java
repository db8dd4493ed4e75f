package io.glmvoicebatch.audio;

/** STUB: replaced by the real audio package at merge. */
public final class DecodedAudio {
  private final int sampleRate;
  private final float[][] channelsData;

  public DecodedAudio(int sampleRate, float[][] channelsData) {
    this.sampleRate = sampleRate;
    this.channelsData = channelsData;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channelsData.length;
  }

  public float[][] channelsData() {
    return channelsData;
  }
}
