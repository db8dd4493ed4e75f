package io.glmvoicebatch.audio;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** The audio to send to the API for one input file, plus what was done to get it. Immutable. */
public final class PreparedAudio implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] wavBytes;
  private final String format;
  private final long frames;
  private final int sampleRate;
  private final boolean silent;
  private final InputFormat input;
  private final double gainDb;
  private final List<String> warnings;

  PreparedAudio(
      byte[] wavBytes,
      long frames,
      int sampleRate,
      boolean silent,
      InputFormat input,
      double gainDb,
      List<String> warnings) {
    this.wavBytes = Objects.requireNonNull(wavBytes, "wavBytes");
    this.format = "wav";
    this.frames = frames;
    this.sampleRate = sampleRate;
    this.silent = silent;
    this.input = Objects.requireNonNull(input, "input");
    this.gainDb = gainDb;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * The WAV file to send: 44-byte header, PCM s16le mono at the target rate; or the original file
   * bytes when normalization is off. The array is shared, not copied (it can be large): do not
   * modify it.
   */
  public byte[] wavBytes() {
    return wavBytes;
  }

  /** Always "wav". */
  public String format() {
    return format;
  }

  public long frames() {
    return frames;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public double secondsSent() {
    return sampleRate == 0 ? 0 : (double) frames / sampleRate;
  }

  /**
   * True when less than 100 ms of 20 ms frames rose above the silence threshold: the caller skips
   * the item ("no speech"). The WAV then holds the whole input, resampled but not trimmed or gained.
   */
  public boolean silent() {
    return silent;
  }

  public InputFormat input() {
    return input;
  }

  public double gainDb() {
    return gainDb;
  }

  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return String.format(
        "PreparedAudio{%d bytes, %d frames @ %d Hz (%.3f s), silent=%s, gain=%.2f dB, input=%s, warnings=%s}",
        wavBytes.length, frames, sampleRate, secondsSent(), silent, gainDb, input, warnings);
  }
}
