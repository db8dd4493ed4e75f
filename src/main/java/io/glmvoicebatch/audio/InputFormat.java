package io.glmvoicebatch.audio;

import java.io.Serializable;
import java.util.Objects;

/** What an input WAV file holds, as read from its header and the bytes actually present. */
public final class InputFormat implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int sampleRate;
  private final int channels;
  private final String encoding;
  private final int bitsPerSample;
  private final long frames;
  private final String container;

  public InputFormat(
      int sampleRate, int channels, String encoding, int bitsPerSample, long frames, String container) {
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.bitsPerSample = bitsPerSample;
    this.frames = frames;
    this.container = Objects.requireNonNull(container, "container");
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  /** E.g. "pcm_s16le", "pcm_s24le", "pcm_f32le", "pcm_u8", "mulaw", "alaw". */
  public String encoding() {
    return encoding;
  }

  public int bitsPerSample() {
    return bitsPerSample;
  }

  /** Whole frames actually decodable (not what the header claims). */
  public long frames() {
    return frames;
  }

  public double seconds() {
    return sampleRate == 0 ? 0 : (double) frames / sampleRate;
  }

  /** "RIFF", "RF64" or "BW64". */
  public String container() {
    return container;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InputFormat)) {
      return false;
    }
    InputFormat f = (InputFormat) o;
    return sampleRate == f.sampleRate
        && channels == f.channels
        && bitsPerSample == f.bitsPerSample
        && frames == f.frames
        && encoding.equals(f.encoding)
        && container.equals(f.container);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, channels, encoding, bitsPerSample, frames, container);
  }

  @Override
  public String toString() {
    return String.format(
        "%s %s %d Hz %d ch %d bit, %d frames (%.3f s)",
        container, encoding, sampleRate, channels, bitsPerSample, frames, seconds());
  }
}
