package io.glmvoicebatch.audio;

import java.io.Serializable;
import java.util.Objects;

/** How {@link AudioPreparer} turns an input file into the audio sent to the API. Immutable. */
public final class NormalizerSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final NormalizerSettings DEFAULTS = builder().build();

  private final boolean normalize;
  private final int targetRate;
  private final double targetLufs;
  private final double peakCeilingDbfs;
  private final double maxGainDb;
  private final boolean loudness;
  private final boolean trimSilence;
  private final double silenceThresholdDbfs;
  private final double trimPaddingSeconds;

  private NormalizerSettings(Builder b) {
    this.normalize = b.normalize;
    this.targetRate = b.targetRate;
    this.targetLufs = b.targetLufs;
    this.peakCeilingDbfs = b.peakCeilingDbfs;
    this.maxGainDb = b.maxGainDb;
    this.loudness = b.loudness;
    this.trimSilence = b.trimSilence;
    this.silenceThresholdDbfs = b.silenceThresholdDbfs;
    this.trimPaddingSeconds = b.trimPaddingSeconds;
  }

  public static NormalizerSettings defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .normalize(normalize)
        .targetRate(targetRate)
        .targetLufs(targetLufs)
        .peakCeilingDbfs(peakCeilingDbfs)
        .maxGainDb(maxGainDb)
        .loudness(loudness)
        .trimSilence(trimSilence)
        .silenceThresholdDbfs(silenceThresholdDbfs)
        .trimPaddingSeconds(trimPaddingSeconds);
  }

  /** False: send the original file bytes unchanged (the file is still validated). */
  public boolean normalize() {
    return normalize;
  }

  public int targetRate() {
    return targetRate;
  }

  public double targetLufs() {
    return targetLufs;
  }

  public double peakCeilingDbfs() {
    return peakCeilingDbfs;
  }

  public double maxGainDb() {
    return maxGainDb;
  }

  /** False: no loudness gain (only attenuation if the signal would otherwise clip). */
  public boolean loudness() {
    return loudness;
  }

  public boolean trimSilence() {
    return trimSilence;
  }

  /**
   * RMS level of a 20 ms frame below which it is never speech; above it, a frame is speech when it
   * stands out from the clip's own noise floor (see SilenceTrimmer).
   */
  public double silenceThresholdDbfs() {
    return silenceThresholdDbfs;
  }

  public double trimPaddingSeconds() {
    return trimPaddingSeconds;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NormalizerSettings)) {
      return false;
    }
    NormalizerSettings s = (NormalizerSettings) o;
    return normalize == s.normalize
        && targetRate == s.targetRate
        && Double.compare(targetLufs, s.targetLufs) == 0
        && Double.compare(peakCeilingDbfs, s.peakCeilingDbfs) == 0
        && Double.compare(maxGainDb, s.maxGainDb) == 0
        && loudness == s.loudness
        && trimSilence == s.trimSilence
        && Double.compare(silenceThresholdDbfs, s.silenceThresholdDbfs) == 0
        && Double.compare(trimPaddingSeconds, s.trimPaddingSeconds) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        normalize,
        targetRate,
        targetLufs,
        peakCeilingDbfs,
        maxGainDb,
        loudness,
        trimSilence,
        silenceThresholdDbfs,
        trimPaddingSeconds);
  }

  @Override
  public String toString() {
    return "NormalizerSettings{normalize=" + normalize
        + ", targetRate=" + targetRate
        + ", targetLufs=" + targetLufs
        + ", peakCeilingDbfs=" + peakCeilingDbfs
        + ", maxGainDb=" + maxGainDb
        + ", loudness=" + loudness
        + ", trimSilence=" + trimSilence
        + ", silenceThresholdDbfs=" + silenceThresholdDbfs
        + ", trimPaddingSeconds=" + trimPaddingSeconds
        + "}";
  }

  /** Builder with the documented defaults; {@link #build()} rejects out-of-range values. */
  public static final class Builder {
    private boolean normalize = true;
    private int targetRate = 16000;
    private double targetLufs = -20.0;
    private double peakCeilingDbfs = -1.0;
    private double maxGainDb = 24.0;
    private boolean loudness = true;
    private boolean trimSilence = true;
    private double silenceThresholdDbfs = -85.0;
    private double trimPaddingSeconds = 0.25;

    private Builder() {}

    public Builder normalize(boolean v) {
      this.normalize = v;
      return this;
    }

    public Builder targetRate(int v) {
      this.targetRate = v;
      return this;
    }

    public Builder targetLufs(double v) {
      this.targetLufs = v;
      return this;
    }

    public Builder peakCeilingDbfs(double v) {
      this.peakCeilingDbfs = v;
      return this;
    }

    public Builder maxGainDb(double v) {
      this.maxGainDb = v;
      return this;
    }

    public Builder loudness(boolean v) {
      this.loudness = v;
      return this;
    }

    public Builder trimSilence(boolean v) {
      this.trimSilence = v;
      return this;
    }

    public Builder silenceThresholdDbfs(double v) {
      this.silenceThresholdDbfs = v;
      return this;
    }

    public Builder trimPaddingSeconds(double v) {
      this.trimPaddingSeconds = v;
      return this;
    }

    public NormalizerSettings build() {
      require(targetRate >= 1000 && targetRate <= 384000, "targetRate must be 1000..384000 Hz");
      require(Double.isFinite(targetLufs) && targetLufs < 0, "targetLufs must be a negative number");
      require(
          Double.isFinite(peakCeilingDbfs) && peakCeilingDbfs <= 0, "peakCeilingDbfs must be <= 0");
      require(Double.isFinite(maxGainDb) && maxGainDb >= 0, "maxGainDb must be >= 0");
      require(
          Double.isFinite(silenceThresholdDbfs) && silenceThresholdDbfs < 0,
          "silenceThresholdDbfs must be negative");
      require(
          Double.isFinite(trimPaddingSeconds) && trimPaddingSeconds >= 0,
          "trimPaddingSeconds must be >= 0");
      return new NormalizerSettings(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
