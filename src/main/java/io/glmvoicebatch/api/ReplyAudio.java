package io.glmvoicebatch.api;

import java.io.Serializable;

/** The spoken reply, always normalized to a canonical 16-bit PCM RIFF WAV. */
public final class ReplyAudio implements Serializable {
  private static final long serialVersionUID = 1L;

  /** {@link #wireForm()} when the service sent a complete RIFF/WAVE file. */
  public static final String WIRE_WAV = "wav";
  /** {@link #wireForm()} when the service sent headerless PCM, read per {@link RawPcmFormat}. */
  public static final String WIRE_RAW_PCM = "raw_pcm";

  private final byte[] wavBytes;
  private final int sampleRate;
  private final int channels;
  private final long frames;
  private final String wireForm;

  ReplyAudio(byte[] wavBytes, int sampleRate, int channels, long frames, String wireForm) {
    this.wavBytes = wavBytes;
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.frames = frames;
    this.wireForm = wireForm;
  }

  /** A copy of the WAV file bytes. */
  public byte[] wavBytes() {
    return wavBytes.clone();
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  public long frames() {
    return frames;
  }

  public double seconds() {
    return (double) frames / sampleRate;
  }

  public String wireForm() {
    return wireForm;
  }

  @Override
  public String toString() {
    return "ReplyAudio[" + wireForm + ", " + channels + "ch, " + sampleRate + "Hz, " + frames + " frames]";
  }
}
