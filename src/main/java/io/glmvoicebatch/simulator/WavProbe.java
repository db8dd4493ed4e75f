package io.glmvoicebatch.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.function.Supplier;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads the duration of a WAV file with javax.sound.sampled: deliberately a different decoder from
 * the client's, so the two cannot share a bug and still agree.
 */
final class WavProbe {
  private WavProbe() {}

  /**
   * @param wav a fresh stream over the WAV file's bytes on each call (read twice: type, then format);
   *     only the header is read, and the stream's available() is the file's length
   */
  static ClipDuration probe(Supplier<ByteArrayInputStream> wav) throws UnsupportedAudioFileException, IOException {
    AudioFileFormat fileFormat = AudioSystem.getAudioFileFormat(wav.get());
    if (fileFormat.getType() != AudioFileFormat.Type.WAVE) {
      throw new UnsupportedAudioFileException("not a RIFF/WAVE file but " + fileFormat.getType());
    }
    try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.get())) {
      AudioFormat format = in.getFormat();
      int frameSize = format.getFrameSize();
      float rate = format.getFrameRate();
      if (frameSize <= 0 || rate <= 0 || rate != Math.rint(rate)) {
        throw new UnsupportedAudioFileException("unusable WAV format " + format);
      }
      // Streaming writers leave the data size at 0 or 0xFFFFFFFF; the bytes present are the truth.
      long present = in.available() / frameSize;
      long declared = in.getFrameLength();
      long frames = declared == AudioSystem.NOT_SPECIFIED || declared <= 0 ? present : Math.min(declared, present);
      return new ClipDuration(frames, (int) rate);
    }
  }
}
