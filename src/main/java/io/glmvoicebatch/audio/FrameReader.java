package io.glmvoicebatch.audio;

/** Reads the data chunk block by block as interleaved floats, without loading the whole chunk. */
final class FrameReader {
  private final ByteSource source;
  private final byte[] directBytes; // non-null when the file is already in memory
  private final SampleEncoding encoding;
  private final int channels;
  private final int blockAlign;
  private final long dataOffset;
  private final long totalFrames;
  private final byte[] scratch;
  private final int maxFrames;
  private long nextFrame;

  FrameReader(ByteSource source, WaveLayout layout, int maxFrames) {
    this.source = source;
    this.directBytes = source instanceof ArrayByteSource ? ((ArrayByteSource) source).bytes() : null;
    this.encoding = layout.fmt().encoding();
    this.channels = layout.fmt().channels();
    this.blockAlign = layout.fmt().blockAlign();
    this.dataOffset = layout.dataOffset();
    this.totalFrames = layout.frames();
    this.maxFrames = maxFrames;
    this.scratch = directBytes == null ? new byte[maxFrames * blockAlign] : null;
  }

  int channels() {
    return channels;
  }

  /**
   * Decodes up to {@code maxFrames} frames into {@code interleaved} (length ≥ maxFrames ×
   * channels); returns the number of frames, 0 at the end.
   */
  int read(float[] interleaved) throws AudioFormatException {
    int frames = (int) Math.min(maxFrames, totalFrames - nextFrame);
    if (frames <= 0) {
      return 0;
    }
    long position = dataOffset + nextFrame * blockAlign;
    int bytes = frames * blockAlign;
    if (directBytes != null) {
      encoding.decode(directBytes, (int) position, frames * channels, interleaved);
    } else {
      int got = source.read(position, scratch, 0, bytes);
      if (got < bytes) {
        // The file shrank while we read it.
        throw new AudioFormatException("file ended unexpectedly while reading audio");
      }
      encoding.decode(scratch, 0, frames * channels, interleaved);
    }
    nextFrame += frames;
    return frames;
  }
}
