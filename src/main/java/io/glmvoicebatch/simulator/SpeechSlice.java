package io.glmvoicebatch.simulator;

import java.util.Arrays;

/**
 * A reply's speech: {@code frames} samples of a shared rendering starting at {@code offset}, in either
 * reply form. The samples are copied only when asked for; the JSON reply takes its base64 from the
 * rendering's pre-encoded text instead.
 */
final class SpeechSlice {
  private final short[] rendering;
  private final PreencodedBase64 pcm;
  private final int sampleRate;
  private final int offset;
  private final int frames;

  /** {@code pcm} is the s16le PCM of the whole {@code rendering}, which nobody may change. */
  SpeechSlice(short[] rendering, PreencodedBase64 pcm, int sampleRate, int offset, int frames) {
    if (offset < 0 || frames < 0 || offset + frames > rendering.length) {
      throw new IllegalArgumentException(offset + "+" + frames + " outside " + rendering.length + " samples");
    }
    this.rendering = rendering;
    this.pcm = pcm;
    this.sampleRate = sampleRate;
    this.offset = offset;
    this.frames = frames;
  }

  int frames() {
    return frames;
  }

  /** Samples {@code [from, to)} of this slice, sharing the rendering. */
  SpeechSlice piece(int from, int to) {
    return new SpeechSlice(rendering, pcm, sampleRate, offset + from, to - from);
  }

  short[] samples() {
    return Arrays.copyOfRange(rendering, offset, offset + frames);
  }

  /** The audio bytes in {@code form}: what a client decodes from the reply's base64. */
  byte[] bytes(ReplyAudioForm form) {
    return form == ReplyAudioForm.WAV ? SyntheticSpeech.wav(samples(), sampleRate) : SyntheticSpeech.rawPcm(samples());
  }

  /** {@code "<base64 of bytes(form)>"}, without building those bytes. */
  RawJsonBytes quotedBase64(ReplyAudioForm form) {
    byte[] prefix = form == ReplyAudioForm.WAV ? SyntheticSpeech.wavHeader(2 * frames, sampleRate) : new byte[0];
    return pcm.quoted(prefix, 2 * offset, 2 * (offset + frames));
  }
}
