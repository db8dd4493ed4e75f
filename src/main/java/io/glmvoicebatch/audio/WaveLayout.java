package io.glmvoicebatch.audio;

import java.util.List;

/** Where the audio is in a WAVE file and how it is encoded, after checking sizes against reality. */
final class WaveLayout {
  private final String container;
  private final FmtChunk fmt;
  private final long dataOffset;
  private final long frames;
  private final List<String> warnings;

  WaveLayout(String container, FmtChunk fmt, long dataOffset, long frames, List<String> warnings) {
    this.container = container;
    this.fmt = fmt;
    this.dataOffset = dataOffset;
    this.frames = frames;
    this.warnings = List.copyOf(warnings);
  }

  String container() {
    return container;
  }

  FmtChunk fmt() {
    return fmt;
  }

  long dataOffset() {
    return dataOffset;
  }

  /** Whole frames present in the file (a partial last frame is dropped). */
  long frames() {
    return frames;
  }

  List<String> warnings() {
    return warnings;
  }

  InputFormat inputFormat() {
    return new InputFormat(
        fmt.sampleRate(),
        fmt.channels(),
        fmt.encoding().label(),
        fmt.validBits(),
        frames,
        container);
  }
}
