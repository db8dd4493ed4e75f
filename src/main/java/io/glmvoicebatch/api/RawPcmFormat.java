package io.glmvoicebatch.api;

import java.io.Serializable;

/**
 * How to read reply audio bytes that are not a RIFF file. The service does not document the byte
 * format; the official sample treats it as signed 16-bit little-endian mono at 44,100 Hz [I].
 */
public final class RawPcmFormat implements Serializable {
  private static final long serialVersionUID = 1L;

  /** [I] The official sample's reading of raw reply audio. */
  public static final RawPcmFormat S16LE_MONO_44100 = new RawPcmFormat(44_100, 1);

  private final int sampleRate;
  private final int channels;

  private RawPcmFormat(int sampleRate, int channels) {
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  /** Signed 16-bit little-endian interleaved PCM; the only sample encoding seen in any sample code. */
  public static RawPcmFormat s16le(int sampleRate, int channels) {
    if (sampleRate < 1000 || sampleRate > 384_000) {
      throw new IllegalArgumentException("sampleRate out of range 1000..384000: " + sampleRate);
    }
    if (channels < 1 || channels > 8) {
      throw new IllegalArgumentException("channels out of range 1..8: " + channels);
    }
    return new RawPcmFormat(sampleRate, channels);
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  public int bytesPerFrame() {
    return 2 * channels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawPcmFormat f && f.sampleRate == sampleRate && f.channels == channels;
  }

  @Override
  public int hashCode() {
    return sampleRate * 31 + channels;
  }

  @Override
  public String toString() {
    return "s16le/" + channels + "ch/" + sampleRate + "Hz";
  }
}
