package io.glmvoicebatch.audio;

import java.util.List;
import java.util.Objects;

/** A whole WAV file decoded to float samples in -1..1, one array per channel. */
public final class DecodedAudio {
  private final float[][] channelsData;
  private final InputFormat format;
  private final List<String> warnings;

  DecodedAudio(float[][] channelsData, InputFormat format, List<String> warnings) {
    this.channelsData = Objects.requireNonNull(channelsData, "channelsData");
    this.format = Objects.requireNonNull(format, "format");
    this.warnings = List.copyOf(warnings);
  }

  public int sampleRate() {
    return format.sampleRate();
  }

  public int channels() {
    return channelsData.length;
  }

  public long frames() {
    return channelsData.length == 0 ? 0 : channelsData[0].length;
  }

  /** [channel][frame]; shared, not copied. */
  public float[][] channelsData() {
    return channelsData;
  }

  public InputFormat format() {
    return format;
  }

  public List<String> warnings() {
    return warnings;
  }
}
