package io.glmvoicebatch.api;

import io.glmvoicebatch.audio.AudioFormatException;
import io.glmvoicebatch.audio.DecodedAudio;
import io.glmvoicebatch.audio.WavFile;
import java.util.Arrays;

/**
 * Turns the decoded bytes of {@code choices[0].message.audio.data} into a canonical 16-bit WAV. The
 * service does not document the format, so we sniff: a RIFF/WAVE header means a whole WAV file;
 * anything else is headerless PCM read per the configured {@link RawPcmFormat} [I]. Audio shorter than
 * a minimum (a few bytes decode to microseconds) is refused: it is no spoken answer.
 */
final class ReplyAudioDecoder {
  private final RawPcmFormat rawFormat;
  private final double minSeconds;

  ReplyAudioDecoder(RawPcmFormat rawFormat) {
    this(rawFormat, 0);
  }

  ReplyAudioDecoder(RawPcmFormat rawFormat, double minSeconds) {
    this.rawFormat = rawFormat;
    this.minSeconds = minSeconds;
  }

  static boolean isRiffWave(byte[] b) {
    return b.length >= 12
        && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'A' && b[10] == 'V' && b[11] == 'E';
  }

  ReplyAudio decode(byte[] bytes) throws AudioFormatException {
    if (bytes.length == 0) {
      throw new AudioFormatException("audio.data is empty");
    }
    ReplyAudio audio = isRiffWave(bytes) ? fromWav(bytes) : fromRaw(bytes);
    if (audio.seconds() < minSeconds) {
      throw new AudioFormatException(String.format(java.util.Locale.ROOT,
          "reply audio lasts %.4f s (%d frames at %d Hz), under the %.3f s minimum of a spoken answer",
          audio.seconds(), audio.frames(), audio.sampleRate(), minSeconds));
    }
    return audio;
  }

  private ReplyAudio fromWav(byte[] bytes) throws AudioFormatException {
    DecodedAudio d = WavFile.decode(bytes);
    int channels = d.channels();
    float[][] data = d.channelsData();
    int frames = data.length == 0 ? 0 : data[0].length;
    if (frames == 0) {
      throw new AudioFormatException("reply WAV has no samples");
    }
    byte[] pcm = new byte[frames * channels * 2];
    int o = 0;
    for (int f = 0; f < frames; f++) {
      for (int c = 0; c < channels; c++) {
        // Scale by 32768 so s16 -> float -> s16 is lossless for decoders that divide by 32768.
        int s = Math.round(data[c][f] * 32768f);
        s = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
        pcm[o++] = (byte) s;
        pcm[o++] = (byte) (s >> 8);
      }
    }
    byte[] wav = WavFile.pcm16(pcm, d.sampleRate(), channels);
    return new ReplyAudio(wav, d.sampleRate(), channels, frames, ReplyAudio.WIRE_WAV);
  }

  private ReplyAudio fromRaw(byte[] bytes) throws AudioFormatException {
    int frameBytes = rawFormat.bytesPerFrame();
    int frames = bytes.length / frameBytes;
    if (frames == 0) {
      throw new AudioFormatException(
          "audio.data has " + bytes.length + " bytes, less than one frame of " + rawFormat);
    }
    // A trailing partial frame cannot be played; drop it rather than lose the whole reply.
    byte[] pcm = frames * frameBytes == bytes.length ? bytes : Arrays.copyOf(bytes, frames * frameBytes);
    byte[] wav = WavFile.pcm16(pcm, rawFormat.sampleRate(), rawFormat.channels());
    return new ReplyAudio(wav, rawFormat.sampleRate(), rawFormat.channels(), frames, ReplyAudio.WIRE_RAW_PCM);
  }
}
